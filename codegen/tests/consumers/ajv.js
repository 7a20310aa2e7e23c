// Compiles every JSON Schema document and every MCP tool schema of a generated directory with ajv's draft
// 2020-12 validator in strict mode (with ajv-formats), and validates each manifest against the spec
// format's own schema. Prints {schemas, toolSchemas, manifests, failures} as JSON.
const { readdirSync, readFileSync, statSync } = require("fs");
const { join } = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const [gen] = process.argv.slice(1);
const ajv = () => {
  const a = new Ajv2020({ strict: true, allErrors: true, logger: false });
  addFormats(a);
  return a;
};
const read = (p) => JSON.parse(readFileSync(p, "utf8"));
const failures = [];
const compile = (what, schema) => {
  try {
    return ajv().compile(schema);
  } catch (e) {
    failures.push(`${what}: ${e.message}`);
    return null;
  }
};

const files = [];
const walk = (d) => {
  for (const f of readdirSync(d).sort()) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith(".schema.json")) files.push(p);
  }
};
walk(join(gen, "json-schema"));
for (const f of files) compile(f, read(f));

let toolSchemas = 0;
for (const f of readdirSync(join(gen, "mcp")).sort()) {
  for (const t of read(join(gen, "mcp", f)).tools) {
    for (const k of ["inputSchema", "outputSchema"]) {
      if (!t[k]) continue;
      toolSchemas++;
      compile(`mcp/${f} ${t.name}.${k}`, t[k]);
    }
  }
}

const validate = compile("integration-spec.schema.json", read(join(gen, "json-schema/integration-spec.schema.json")));
let manifests = 0;
for (const f of readdirSync(join(gen, "manifest")).sort()) {
  manifests++;
  if (validate && !validate(read(join(gen, "manifest", f)))) {
    failures.push(`manifest/${f}: ${ajv().errorsText(validate.errors)}`);
  }
}
console.log(JSON.stringify({ schemas: files.length, toolSchemas, manifests, failures }));
