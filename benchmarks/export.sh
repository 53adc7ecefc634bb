#!/usr/bin/env bash
# Benchmarks trail-export against DuckDB (COPY ... TO parquet, COMPRESSION zstd: benchmarks/duckdb_export.py)
# and pyarrow on the same NDJSON: rows/s and peak RSS (/usr/bin/time -v), then trail-export / DuckDB.
#   benchmarks/export.sh [TRACES]      (default 1,000,000; the workspace is generated once and reused)
# Needs scripts/bootstrap.sh (for .venv with duckdb and pyarrow). Writes under .build-bench/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
traces=${1:-1000000}
bench=.build-bench
workspace=$bench/workspace-$traces
mkdir -p "$bench"

if [ ! -f "$workspace/workspace.json" ]; then
    echo "== generating a $traces-trace workspace in $workspace" >&2
    python3 benchmarks/generate_workspace.py "$workspace" --traces "$traces" --days 30
fi
size=$(du -sm "$workspace/traces" | cut -f1)

echo "== building trail-export (release)" >&2
source benchmarks/release_build.sh
bin=$(release_build trail-export)

measure() { # name, command...
    local name=$1
    shift
    local log=$bench/time-$name.log
    /usr/bin/time -v "$@" >"$bench/out-$name.log" 2>"$log"
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    # Elapsed is h:mm:ss or m:ss.ss
    local seconds
    seconds=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    echo "$seconds" >"$bench/seconds-$name"
    printf '%-28s %10s %12.0f %12.1f\n' "$name" "$seconds" "$(echo "$traces / $seconds" | bc -l)" \
        "$(echo "$rss / 1024" | bc -l)"
}

rm -rf "$bench/out-trail" "$bench/out-pyarrow" "$bench/out-duckdb"
cat "$workspace"/traces/*/*.jsonl "$workspace"/prompts/*.jsonl >/dev/null # the same files in the page cache
echo "traces: $traces ($size MB of trace NDJSON), $(nproc) cores"
printf '%-28s %10s %12s %12s\n' "writer" "seconds" "rows/s" "peak RSS MB"
measure trail-export "$bin/trail-export" "$workspace" --out "$bench/out-trail"
measure duckdb-zstd .venv/bin/python benchmarks/duckdb_export.py "$workspace" "$bench/out-duckdb"
measure pyarrow .venv/bin/python benchmarks/pyarrow_export.py "$workspace" "$bench/out-pyarrow"
trail_seconds=$(awk '{print $1}' "$bench/seconds-trail-export")
duckdb_seconds=$(awk '{print $1}' "$bench/seconds-duckdb-zstd")
printf 'trail-export rows/s / DuckDB rows/s: %.2f\n' "$(echo "$duckdb_seconds / $trail_seconds" | bc -l)"
echo "output: trail-export $(du -sm "$bench/out-trail" | cut -f1) MB (traces, lineage, prompt_versions);" \
    "DuckDB $(du -sm "$bench/out-duckdb" | cut -f1) MB (traces, prompt_versions);" \
    "pyarrow $(du -sm "$bench/out-pyarrow" | cut -f1) MB (traces only)"
