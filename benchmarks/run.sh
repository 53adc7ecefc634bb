#!/usr/bin/env bash
# Benchmarks trail-validate against Python's jsonschema_rs and fastjsonschema and against check-jsonschema.
#
# Usage: benchmarks/run.sh [N]     N trace records (default 1,000,000); FILES=2000 single-document files.
# Environment: FILES (default 2000), WORK (scratch folder, default .build-bench/), JOBS (default: all cores).
#
# Prints one Markdown table: records/s, MB/s and peak RSS for every tool, on the same data and schema
# (schemas/tuor/trace.json with a standard $schema, so every peer can read it). Python peers are installed
# from PyPI into a virtualenv inside WORK. Wall-clock numbers include start-up. The 2,000-file rows are the
# median of five runs each (RUNS); the others run once.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-1000000}
FILES=${FILES:-2000}
WORK=${WORK:-$ROOT/.build-bench}
JOBS=${JOBS:-$(nproc)}
mkdir -p "$WORK"

echo "== tools" >&2
if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
fi
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check jsonschema-rs orjson fastjsonschema check-jsonschema >&2
source benchmarks/release_build.sh
TRAIL="$(release_build trail-validate)/trail-validate"

echo "== data: $N records, $FILES files" >&2
SCHEMA="$WORK/trace.schema.json"
python3 - "$ROOT/schemas/tuor/trace.json" "$SCHEMA" <<'PY'
import json, sys
schema = json.load(open(sys.argv[1], encoding="utf-8"))
schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
json.dump(schema, open(sys.argv[2], "w", encoding="utf-8"), indent=2)
PY
DATA="$WORK/traces-$N.ndjson"
[ -s "$DATA" ] || python3 benchmarks/generate_dataset.py --records "$N" --ndjson "$DATA"
SMALL="$WORK/traces-$((N / 10)).ndjson"
[ -s "$SMALL" ] || head -n $((N / 10)) "$DATA" > "$SMALL"
DOCS="$WORK/files-$FILES"
[ -d "$DOCS" ] || python3 benchmarks/generate_dataset.py --records "$FILES" --seed 7 --files "$DOCS"

# measure NAME RECORDS BYTES COMMAND...: runs the command RUNS times (1 unless set), prints a table row with
# the median time and the largest peak RSS.
measure() {
    local name=$1 records=$2 bytes=$3
    shift 3
    local timing times=() rss=0
    for _ in $(seq "${RUNS:-1}"); do
        /usr/bin/time -o "$WORK/time.txt" -f "%e %M" "$@" >/dev/null 2>&1 || true
        timing=$(tail -1 "$WORK/time.txt")
        times+=("${timing% *}")
        [ "${timing#* }" -gt "$rss" ] && rss=${timing#* }
    done
    local seconds
    seconds=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((${#times[@]} + 1) / 2))p")
    python3 - "$name" "$records" "$bytes" "$seconds" "$rss" <<'PY'
import sys
name, records, size, seconds, rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
seconds = max(seconds, 0.001)
print(f"| {name} | {records:,} | {seconds:.2f} | {records / seconds:,.0f} | {size / seconds / 1e6:,.1f} | {rss / 1024:,.0f} |")
PY
}

BYTES=$(stat -c %s "$DATA")
SMALL_BYTES=$(stat -c %s "$SMALL")
DOC_BYTES=$(du -sb "$DOCS" | cut -f1)
echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| tool | records | seconds | records/s | MB/s | peak RSS (MiB) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
measure "trail-validate, NDJSON, $JOBS jobs" "$N" "$BYTES" "$TRAIL" --jobs "$JOBS" --schema "$SCHEMA" "$DATA"
measure "trail-validate, NDJSON, 1 job" "$N" "$BYTES" "$TRAIL" --jobs 1 --schema "$SCHEMA" "$DATA"
measure "trail-validate, NDJSON, N/10 records (RSS check)" "$((N / 10))" "$SMALL_BYTES" "$TRAIL" --jobs "$JOBS" --schema "$SCHEMA" "$SMALL"
measure "jsonschema_rs (orjson + is_valid)" "$N" "$BYTES" "$WORK/venv/bin/python" benchmarks/peers.py jsonschema_rs "$SCHEMA" "$DATA"
measure "fastjsonschema (orjson + compiled)" "$N" "$BYTES" "$WORK/venv/bin/python" benchmarks/peers.py fastjsonschema "$SCHEMA" "$DATA"
# A fifth of a second each: single runs vary by half on a shared machine, so these rows are medians of five.
RUNS=5 measure "trail-validate, $FILES files" "$FILES" "$DOC_BYTES" "$TRAIL" --jobs "$JOBS" --schema "$SCHEMA" "$DOCS"
RUNS=5 measure "check-jsonschema, $FILES files" "$FILES" "$DOC_BYTES" "$WORK/venv/bin/check-jsonschema" --schemafile "$SCHEMA" "$DOCS"/*.json
