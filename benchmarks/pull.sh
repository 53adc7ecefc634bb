#!/usr/bin/env bash
# Benchmark of a full pull from the emulator on loopback: records/s and peak RSS of trail-pull.
# Usage: benchmarks/pull.sh [N ...]   (N generated Tuor traces per run; default 20000 100000)
# Prints one Markdown table row per N, then the load average. Needs /usr/bin/time (Debian's `time`
# package; installed if missing).
# For the flat-memory check run `benchmarks/pull.sh 20000 100000 1000000`: the emulator then needs about
# 3 minutes (2-core machine) and about 2.5 GiB to generate its million traces before the pull starts, and
# the workspace takes about 1.4 GB in the temporary directory (set TMPDIR to move it).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(20000 100000)

if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >/dev/null
fi
swift build -c release --static-swift-stdlib --product trail-serve >/dev/null
swift build -c release --static-swift-stdlib --product trail-pull >/dev/null
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"
key="tuor_bench_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

echo "| traces generated | records pulled | seconds | records/s | peak RSS (MiB) |"
echo "|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    work="$(mktemp -d)"
    TUOR_API_KEY="$key" "$bin/trail-serve" --port 0 --generate "$n" >"$work/serve.out" 2>/dev/null &
    server=$!
    # The emulator prints its port once the generated data is in place; that takes a while for large N.
    while [ ! -s "$work/serve.out" ]; do
        if ! kill -0 "$server" 2>/dev/null; then
            echo "trail-serve --generate $n exited before serving" >&2
            exit 1
        fi
        sleep 0.5
    done
    port="$(head -n 1 "$work/serve.out")"
    TUOR_API_KEY="$key" /usr/bin/time -v -o "$work/time.txt" "$bin/trail-pull" --source tuor \
        --base-url "http://127.0.0.1:$port" --project proj_invoices proj_support proj_contracts \
        --out "$work/ws" --rate-limit 0 --quiet --summary-json "$work/summary.json" >/dev/null 2>&1 || true
    kill "$server"
    wait "$server" 2>/dev/null || true
    rss_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")"
    python3 - "$work/summary.json" "$n" "$rss_kb" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
received = s["new"] + s["updated"] + s["unchanged"] + s["quarantined"]
print(f"| {int(sys.argv[2]):,} | {received:,} | {s['duration_seconds']:.1f} | {s['records_per_second']:,.0f} "
      f"| {int(sys.argv[3]) / 1024:.0f} |")
PY
    rm -rf "$work"
done
echo
echo "load average after the runs: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores"
