#!/usr/bin/env python3
"""The pyarrow baseline of benchmarks/export.sh: writes a workspace's traces as day-partitioned
Parquet with pyarrow.json.read_json + pyarrow.parquet.write_table (GZIP pages), one file per
project and day, the same layout trail-export writes.

    pyarrow_export.py WORKSPACE OUT

Columns are the traces table's; pyarrow infers their types, so model_input/model_output become
structs rather than JSON text (pyarrow's JSON reader cannot keep a value's raw text).
"""

import glob
import os
import sys

import pyarrow.json as pj
import pyarrow.parquet as pq

COLUMNS = ["project_id", "trace_id", "source", "status", "created_at", "updated_at", "model",
           "prompt_version_id", "prompt_version", "internal_run_id", "tags", "model_input",
           "model_output", "corrected_output", "final_output", "output_sha256"]


def main() -> int:
    workspace, out = sys.argv[1:3]
    rows = 0
    for path in sorted(glob.glob(os.path.join(workspace, "traces", "*", "*.jsonl"))):
        project = os.path.basename(os.path.dirname(path))
        day = os.path.basename(path)[:-6]
        table = pj.read_json(path)
        table = table.select([name for name in COLUMNS if name in table.column_names])
        folder = os.path.join(out, "traces", f"dt={day}")
        os.makedirs(folder, exist_ok=True)
        pq.write_table(table, os.path.join(folder, f"part-{project}-00000.parquet"), compression="gzip")
        rows += table.num_rows
    print(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
