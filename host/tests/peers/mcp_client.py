"""An MCP client on the official Python SDK (`mcp`): connects to the host over stdio or streamable HTTP, lists
its tools and resources, makes the calls it is given and prints what it got as one JSON document.

Usage: python mcp_client.py PLAN_JSON, where the plan is
  {"transport": "http", "url": ..., "key": ...} or {"transport": "stdio", "command": ..., "args": [...], "env": {...}}
  plus "calls": [{"name": ..., "arguments": {...}}], "resources": [uri, ...], "refused": true when the
  connection is expected to fail, "mode" (the SDK's: "legacy" for the initialize handshake) and "elicit":
  "approve", "reject" (accepting the form with approve true or false) or "decline", answering the server's
  approval requests (the requests' messages are printed as "elicited").
"""

import asyncio
import json
import sys

import httpx2
from mcp import Client, StdioServerParameters, types
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client


def dump(model):
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def server_of(plan):
    if plan["transport"] == "http":
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {plan['key']}"})
        return streamable_http_client(plan["url"], http_client=http)
    return StdioServerParameters(command=plan["command"], args=plan.get("args", []), env=plan.get("env"))


def elicitation_of(plan, out):
    answer = plan.get("elicit")
    if answer is None:
        return None
    out["elicited"] = []

    async def elicit(context, params):
        out["elicited"].append(dump(params))
        if answer == "decline":
            return types.ElicitResult(action="decline")
        return types.ElicitResult(action="accept", content={"approve": answer == "approve"})

    return elicit


async def run(plan):
    out = {}
    options = {"cache": None, "read_timeout_seconds": 90, "elicitation_callback": elicitation_of(plan, out)}
    if "mode" in plan:
        options["mode"] = plan["mode"]
    try:
        async with Client(server_of(plan), **options) as client:
            out["protocol_version"] = client.protocol_version
            info = client.server_info
            out["server_info"] = dump(info) if info is not None else None
            out["tools"] = [dump(t) for t in (await client.list_tools()).tools]
            out["calls"] = []
            for c in plan.get("calls", []):
                result = await client.call_tool(c["name"], c.get("arguments", {}))
                out["calls"].append(dump(result))
            out["resources"] = [dump(r) for r in (await client.list_resources()).resources]
            out["read"] = {}
            for uri in plan.get("resources", []):
                out["read"][uri] = dump(await client.read_resource(uri))
    except BaseException as e:  # noqa: BLE001 - a refused connection is reported, not raised
        if not plan.get("refused"):
            raise
        out["refused"] = True
        out["error"] = repr(e)
    return out


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(json.loads(sys.argv[1])))))
