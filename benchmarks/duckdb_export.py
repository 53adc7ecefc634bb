#!/usr/bin/env python3
"""The DuckDB peer of benchmarks/export.sh: what a data engineer would run instead of trail-export.

    duckdb_export.py WORKSPACE OUT

Copies the workspace's traces and prompt versions to ZSTD Parquet with DuckDB's own NDJSON reader
(types inferred) on all cores:

    COPY (SELECT * FROM read_ndjson('WORKSPACE/traces/*/*.jsonl')) TO 'OUT/traces.parquet'
        (FORMAT parquet, COMPRESSION zstd)

and the same for prompts/*.jsonl. It checks nothing and writes no lineage table: a lower bound on what
the same dataset costs.
"""

import os
import sys

import duckdb


def main() -> int:
    workspace, out = sys.argv[1:3]
    os.makedirs(out, exist_ok=True)
    connection = duckdb.connect()
    rows = 0
    for table, pattern in (("traces", "traces/*/*.jsonl"), ("prompt_versions", "prompts/*.jsonl")):
        source = os.path.join(workspace, pattern).replace("'", "''")
        target = os.path.join(out, table + ".parquet").replace("'", "''")
        connection.execute(
            f"COPY (SELECT * FROM read_ndjson('{source}', maximum_object_size=67108864)) "
            f"TO '{target}' (FORMAT parquet, COMPRESSION zstd)"
        )
        rows += connection.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()[0]
    print(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
