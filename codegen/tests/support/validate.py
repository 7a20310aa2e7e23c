# The third-party checks every generated directory passes: each JSON Schema against the draft 2020-12
# meta-schema (Python `jsonschema`) with its examples, the spec's examples (pairs of schema path and value)
# against their schemas, each OpenAPI document with `openapi-spec-validator`, each MCP tool's schemas.
# Usage: validate.py <generated dir> <pairs.json>; prints the counts as JSON.
import glob, json, os, sys
import jsonschema
from openapi_spec_validator import validate

root, pairs_file = sys.argv[1], sys.argv[2]
V = jsonschema.Draft202012Validator
schemas = examples = 0
for path in sorted(glob.glob(os.path.join(root, "json-schema", "**", "*.json"), recursive=True)):
    with open(path) as f:
        schema = json.load(f)
    V.check_schema(schema)
    schemas += 1
    for ex in schema.get("examples", []):
        V(schema, format_checker=V.FORMAT_CHECKER).validate(ex)
        examples += 1

spec_examples = 0
with open(pairs_file) as f:
    for rel, example in json.load(f):
        with open(os.path.join(root, rel)) as g:
            V(json.load(g), format_checker=V.FORMAT_CHECKER).validate(example)
        spec_examples += 1

openapi = 0
for path in sorted(glob.glob(os.path.join(root, "openapi", "*.json"))):
    with open(path) as f:
        validate(json.load(f))
    openapi += 1

tools = 0
for path in sorted(glob.glob(os.path.join(root, "mcp", "*.json"))):
    with open(path) as f:
        for tool in json.load(f)["tools"]:
            V.check_schema(tool["inputSchema"])
            if "outputSchema" in tool:
                V.check_schema(tool["outputSchema"])
            tools += 1

print(json.dumps({"schemas": schemas, "examples": examples, "spec_examples": spec_examples,
                  "openapi": openapi, "tools": tools}))
