#!/usr/bin/env python3
"""Validate an NDJSON file with a Python peer, for benchmarks/run.sh.

Usage: peers.py jsonschema_rs|fastjsonschema SCHEMA.json DATA.ndjson
Prints: records invalid seconds
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    tool, schema_path, data_path = sys.argv[1:4]
    schema = json.load(open(schema_path, encoding="utf-8"))
    import orjson

    if tool == "jsonschema_rs":
        import jsonschema_rs

        is_valid = jsonschema_rs.validator_for(schema).is_valid
    elif tool == "fastjsonschema":
        import fastjsonschema

        schema = dict(schema, **{"$schema": "http://json-schema.org/draft-07/schema#"})
        validate = fastjsonschema.compile(schema)

        def is_valid(instance: object) -> bool:
            try:
                validate(instance)
                return True
            except fastjsonschema.JsonSchemaException:
                return False

    else:
        raise SystemExit(f"unknown tool {tool}")
    start = time.perf_counter()
    records = invalid = 0
    with open(data_path, "rb") as data:
        for line in data:
            if not line.strip():
                continue
            records += 1
            if not is_valid(orjson.loads(line)):
                invalid += 1
    print(records, invalid, f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
