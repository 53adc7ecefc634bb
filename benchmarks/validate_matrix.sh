#!/usr/bin/env bash
# The validation matrix: trail-validate against jsonschema_rs (+ orjson), the peer a user would pick, on
# users' own schemas and data: six schemas (benchmarks/matrix/schemas) x four data shapes, from the seeded
# generator benchmarks/matrix/generate.py (separate from every other generator here).
#
# Usage: benchmarks/validate_matrix.sh [N]     N documents per cell (default 10000; multibyte cells N/4)
# Environment: WORK (scratch, default .build-bench), TRAIL (a trail-validate binary; default: build the
# release one), PY (Python with jsonschema_rs and orjson; default .venv/bin/python), SCHEMAS, SHAPES
# (space-separated subsets), REPEAT (runs per cell, default 3; the table shows medians).
#
# Every cell runs both tools on the same file, already in the page cache: trail-validate with --jobs
# $(nproc) and --jobs 1; the peer as $(nproc) processes over line ranges (what `xargs -P` would do) and
# as one process. It prints records/s, the ratios, trail-validate's peak RSS with all jobs, and whether
# both reported the same invalid documents (line numbers).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-10000}
WORK=${WORK:-$ROOT/.build-bench}/matrix
PY=${PY:-$ROOT/.venv/bin/python}
CORES=$(nproc)
SCHEMAS=${SCHEMAS:-"review toolcalls evaluation tree metrics catalog"}
SHAPES=${SHAPES:-"ascii multibyte deep wide"}
REPEAT=${REPEAT:-3}
mkdir -p "$WORK"
# The peer and the generator's checks need these in the Python the script runs (the test peers do not).
"$PY" -c 'import jsonschema_rs, orjson' 2>/dev/null ||
    "$PY" -m pip install --quiet --disable-pip-version-check jsonschema-rs orjson >&2

if [ -z "${TRAIL:-}" ]; then
    source "$ROOT/benchmarks/release_build.sh"
    TRAIL="$(release_build trail-validate)/trail-validate"
fi

seconds_now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{ value[NR] = $1 } END { print value[int((NR + 1) / 2)] }'; }

# cell SCHEMA SHAPE: prints one table row.
cell() {
    local schema=$1 shape=$2
    local records=$N
    [ "$shape" = multibyte ] && records=$((N / 4))
    local schema_file=$ROOT/benchmarks/matrix/schemas/$schema.json
    local data=$WORK/$schema-$shape-$records.ndjson
    [ -s "$data" ] || "$PY" benchmarks/matrix/generate.py --schema "$schema" --shape "$shape" --records "$records" --out "$data"
    cat "$data" >/dev/null
    local megabytes
    megabytes=$(python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1]) / 1e6:.1f}')" "$data")

    # Each of the four runs REPEAT times, in turn; the table shows the median of each (a single run on a
    # shared machine can be off by a third).
    local rep start end rss times_trail_all=() times_trail_one=() times_peer_all=() times_peer_one=()
    local per=$(((records + CORES - 1) / CORES)) part pids
    for ((rep = 0; rep < REPEAT; rep++)); do
        # trail-validate, all cores and one; exit status 1 (some document invalid) is expected.
        start=$(seconds_now)
        /usr/bin/time -o "$WORK/time.txt" -f "%M" "$TRAIL" --jobs "$CORES" --format json --schema "$schema_file" \
            "$data" >"$WORK/trail.json" 2>/dev/null || true
        end=$(seconds_now)
        times_trail_all+=("$(echo "$end - $start" | bc -l)")
        [ "$rep" -eq 0 ] && rss=$(tail -1 "$WORK/time.txt")
        start=$(seconds_now)
        "$TRAIL" --jobs 1 --format json --schema "$schema_file" "$data" >/dev/null 2>&1 || true
        end=$(seconds_now)
        times_trail_one+=("$(echo "$end - $start" | bc -l)")

        # The peer: CORES processes over line ranges, then one.
        pids=()
        start=$(seconds_now)
        for ((part = 0; part < CORES; part++)); do
            "$PY" benchmarks/matrix/peer.py "$schema_file" "$data" $((part * per + 1)) $(((part + 1) * per)) \
                "$WORK/peer-$part.txt" &
            pids+=($!)
        done
        for pid in "${pids[@]}"; do wait "$pid"; done
        end=$(seconds_now)
        times_peer_all+=("$(echo "$end - $start" | bc -l)")
        start=$(seconds_now)
        "$PY" benchmarks/matrix/peer.py "$schema_file" "$data" 1 "$records" "$WORK/peer-one.txt"
        end=$(seconds_now)
        times_peer_one+=("$(echo "$end - $start" | bc -l)")
    done
    local trail_all trail_one peer_all peer_one
    trail_all=$(median "${times_trail_all[@]}")
    trail_one=$(median "${times_trail_one[@]}")
    peer_all=$(median "${times_peer_all[@]}")
    peer_one=$(median "${times_peer_one[@]}")

    python3 - "$schema" "$shape" "$records" "$megabytes" "$trail_all" "$peer_all" "$trail_one" "$peer_one" "$rss" \
        "$WORK" "$CORES" <<'PY'
import json, sys
from pathlib import Path
schema, shape, records, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
trail_all, peer_all, trail_one, peer_one = (max(float(x), 0.001) for x in sys.argv[5:9])
rss, work, cores = int(sys.argv[9]), Path(sys.argv[10]), int(sys.argv[11])
report = json.loads((work / "trail.json").read_text())
trail = sorted(item["line"] for file in report["files"] for item in file.get("invalid", []))
peer = sorted(int(line) for part in range(cores) for line in (work / f"peer-{part}.txt").read_text().split())
one = sorted(int(line) for line in (work / "peer-one.txt").read_text().split())
same = "same" if trail == peer == one else f"DIFFER ({len(trail)} vs {len(peer)})"
rate = lambda seconds: records / seconds
print(
    f"| {schema} | {shape} | {records:,} | {megabytes} | {rate(trail_all):,.0f} | {rate(peer_all):,.0f} | "
    f"{peer_all / trail_all:.2f} | {rate(trail_one):,.0f} | {rate(peer_one):,.0f} | {peer_one / trail_one:.2f} | "
    f"{rss / 1024:,.0f} | {len(trail)} {same} |"
)
PY
}

echo
echo "Machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Peer: jsonschema_rs $("$PY" -c 'import importlib.metadata as m; print(m.version("jsonschema_rs"))') + orjson; $CORES processes for 'all cores'"
echo
echo "| schema | shape | docs | MB | trail rec/s, all cores | peer rec/s, all cores | ratio | trail rec/s, 1 core | peer rec/s, 1 core | ratio | trail peak RSS MiB | invalid docs |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for schema in $SCHEMAS; do
    for shape in $SHAPES; do
        cell "$schema" "$shape" | tee -a "$WORK/rows.md"
    done
done
