#!/usr/bin/env python3
"""One-off converter: Aiven provider documentation digest -> `terraform providers schema -json`.

The real `aiven/aiven` provider binary cannot be fetched in the test-bed environment, so the
schema stand-in provider (see `main.go` beside this file) serves a schema derived from a
machine-readable digest of the provider's v4.61.0 documentation. This script turns that digest
into the exact JSON shape Terraform prints for `terraform providers schema -json`, which is
committed as `tests/fixtures/aiven-provider-schema.json`.

Usage:
    python3 convert_schema.py DIGEST.json OUTPUT.json

Mapping rules:
* attribute `type` strings (`string`, `number`, `bool`, `list(string)`, `set(string)`,
  `map(string)`, `list(number)`, ...) become cty type JSON (`"string"`, `["list","string"]`).
* nested blocks with `syntax == "block"` become `block_types` entries (`nesting_mode`,
  `min_items`, `max_items`); blocks with `syntax == "attribute"` (computed nested objects)
  become attributes of type `[<nesting>, ["object", {...}]]`, as Terraform shows SDKv2
  computed-only nested resources.
* the digest does not cover the provider configuration block; it is declared here from the
  provider's documentation (`api_token`: optional, sensitive string).
* schema versions are not in the documentation; they are all 0.
"""

import json
import re
import sys

PROVIDER_ADDRESS = "registry.terraform.io/aiven/aiven"

PROVIDER_BLOCK = {
    "attributes": {
        "api_token": {
            "type": "string",
            "description": "Aiven authentication token. Can also be set with the AIVEN_TOKEN "
            "environment variable.",
            "description_kind": "plain",
            "optional": True,
            "sensitive": True,
        }
    },
    "description_kind": "plain",
}

_COLLECTION = re.compile(r"^(list|set|map)\((.+)\)$")


def cty_type(text):
    """Parses a digest type string such as `list(string)` into cty type JSON."""
    text = text.strip()
    if text in ("string", "number", "bool"):
        return text
    match = _COLLECTION.match(text)
    if match:
        return [match.group(1), cty_type(match.group(2))]
    raise ValueError(f"unsupported type string in digest: {text!r}")


def object_type(block):
    """The cty object type of a nested block used as an attribute (syntax == attribute)."""
    fields = {name: cty_type(attr["type"]) for name, attr in block.get("attributes", {}).items()}
    for name, nested in block.get("blocks", {}).items():
        fields[name] = nested_object_type(nested)
    return ["object", fields]


def nested_object_type(block):
    """Wraps a nested block's object type in its nesting mode."""
    obj = object_type(block)
    nesting = block["nesting"]
    if nesting == "single":
        return obj
    if nesting in ("list", "set", "map"):
        return [nesting, obj]
    raise ValueError(f"unsupported nesting: {nesting!r}")


def with_description(out, source):
    """Adds description fields the way Terraform prints them (kind is always present)."""
    if source.get("description"):
        out["description"] = source["description"]
    out["description_kind"] = "plain"


def convert_attribute(attr):
    out = {"type": cty_type(attr["type"])}
    with_description(out, attr)
    for flag in ("deprecated", "required", "optional", "computed", "sensitive", "write_only"):
        if attr.get(flag):
            out[flag] = True
    return out


def convert_nested_as_attribute(block):
    out = {"type": nested_object_type(block)}
    with_description(out, block)
    for flag in ("deprecated", "required", "optional", "computed", "sensitive"):
        if block.get(flag):
            out[flag] = True
    return out


def convert_block(source):
    """Converts a digest resource / nested block into a Terraform JSON `block`."""
    attributes = {}
    block_types = {}
    for name, attr in sorted(source.get("attributes", {}).items()):
        attributes[name] = convert_attribute(attr)
    for name, nested in sorted(source.get("blocks", {}).items()):
        if nested["syntax"] == "attribute":
            attributes[name] = convert_nested_as_attribute(nested)
            continue
        block_type = {"nesting_mode": nested["nesting"], "block": convert_block(nested)}
        if nested.get("min_items"):
            block_type["min_items"] = nested["min_items"]
        if nested.get("max_items"):
            block_type["max_items"] = nested["max_items"]
        block_types[name] = block_type
    out = {}
    if attributes:
        out["attributes"] = attributes
    if block_types:
        out["block_types"] = block_types
    with_description(out, source)
    if source.get("deprecated"):
        out["deprecated"] = True
    return out


def convert(digest):
    schemas = {
        "provider": {"version": 0, "block": PROVIDER_BLOCK},
        "resource_schemas": {
            name: {"version": 0, "block": convert_block(res)}
            for name, res in sorted(digest["resources"].items())
        },
        "data_source_schemas": {
            name: {"version": 0, "block": convert_block(ds)}
            for name, ds in sorted(digest["data_sources"].items())
        },
    }
    return {"format_version": "1.0", "provider_schemas": {PROVIDER_ADDRESS: schemas}}


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        digest = json.load(handle)
    if digest.get("provider") != "aiven/aiven":
        sys.stderr.write("not an aiven/aiven digest\n")
        return 1
    result = convert(digest)
    with open(argv[2], "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
    counts = result["provider_schemas"][PROVIDER_ADDRESS]
    print(
        f"wrote {argv[2]}: {len(counts['resource_schemas'])} resources, "
        f"{len(counts['data_source_schemas'])} data sources (digest of v{digest.get('provider_version')})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
