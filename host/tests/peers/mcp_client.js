// An MCP client on the official TypeScript SDK (@modelcontextprotocol/sdk): connects to the host over stdio or
// streamable HTTP, lists its tools and resources, makes the calls it is given and prints what it got as one
// JSON document. The plan (first argument, JSON) is the one host/tests/peers/mcp_client.py takes.
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

function transportOf(plan) {
  if (plan.transport === 'http') {
    return new StreamableHTTPClientTransport(new URL(plan.url), {
      requestInit: { headers: { Authorization: `Bearer ${plan.key}` } },
    });
  }
  return new StdioClientTransport({
    command: plan.command,
    args: plan.args || [],
    env: { ...process.env, ...(plan.env || {}) },
    stderr: 'inherit',
  });
}

async function run(plan) {
  const out = {};
  const transport = transportOf(plan);
  let negotiated = null;
  const setVersion = transport.setProtocolVersion;
  transport.setProtocolVersion = (v) => {
    negotiated = v;
    if (setVersion) setVersion.call(transport, v);
  };
  const client = new Client({ name: 'host-tests-node', version: '1.0.0' });
  try {
    await client.connect(transport);
    out.protocol_version = negotiated;
    out.server_info = client.getServerVersion();
    out.tools = (await client.listTools()).tools;
    out.calls = [];
    for (const c of plan.calls || []) {
      out.calls.push(await client.callTool({ name: c.name, arguments: c.arguments || {} }, undefined, { timeout: 90000 }));
    }
    out.resources = (await client.listResources()).resources;
    out.read = {};
    for (const uri of plan.resources || []) {
      out.read[uri] = await client.readResource({ uri });
    }
  } catch (e) {
    if (!plan.refused) throw e;
    out.refused = true;
    out.error = String(e);
  } finally {
    await client.close().catch(() => {});
  }
  return out;
}

// `node -e SCRIPT -- PLAN`: the plan is the argument that is a JSON object.
const plan = process.argv.find((a) => a.startsWith('{'));
run(JSON.parse(plan)).then(
  (out) => {
    // Exit once the pipe took all of it (a write to a pipe is asynchronous).
    process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0));
  },
  (e) => {
    process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  },
);
