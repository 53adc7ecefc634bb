#!/usr/bin/env python3
"""The jsonschema_rs + orjson peer of benchmarks/validate_matrix.sh.

    peer.py SCHEMA.json DATA.ndjson FIRST LAST OUT

Validates lines FIRST..LAST (1-based, inclusive) of DATA and writes the line numbers of the invalid
documents to OUT, one per line. Formats are annotations, as in trail-validate by default.
"""

import sys

import jsonschema_rs
import orjson


def main() -> int:
    schema_path, data_path, first, last, out_path = sys.argv[1:6]
    first, last = int(first), int(last)
    with open(schema_path, "rb") as schema_file:
        is_valid = jsonschema_rs.validator_for(orjson.loads(schema_file.read())).is_valid
    invalid = []
    with open(data_path, "rb") as data:
        for number, line in enumerate(data, 1):
            if number < first:
                continue
            if number > last:
                break
            if not is_valid(orjson.loads(line)):
                invalid.append(number)
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("".join(f"{number}\n" for number in invalid))
    return 0


if __name__ == "__main__":
    sys.exit(main())
