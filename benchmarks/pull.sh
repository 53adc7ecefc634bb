#!/usr/bin/env bash
# Benchmark of a full pull from the emulator on loopback: records/s and peak RSS of trail-pull.
# Usage: benchmarks/pull.sh [N ...]   (N generated Tuor traces per run; default 20000 100000)
# Prints one Markdown table row per N. Needs /usr/bin/time (Debian's `time` package; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(20000 100000)

if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >/dev/null
fi
swift build -c release --product trail-serve >/dev/null
swift build -c release --product trail-pull >/dev/null
bin="$(swift build -c release --show-bin-path)"
key="tuor_bench_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

echo "| traces generated | records pulled | seconds | records/s | peak RSS (MiB) |"
echo "|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    work="$(mktemp -d)"
    TUOR_API_KEY="$key" "$bin/trail-serve" --port 0 --generate "$n" >"$work/serve.out" 2>/dev/null &
    server=$!
    for _ in $(seq 1 6000); do
        [ -s "$work/serve.out" ] && break
        sleep 0.1
    done
    port="$(head -n 1 "$work/serve.out")"
    TUOR_API_KEY="$key" /usr/bin/time -v -o "$work/time.txt" "$bin/trail-pull" --source tuor \
        --base-url "http://127.0.0.1:$port" --project proj_invoices proj_support proj_contracts \
        --out "$work/ws" --rate-limit 0 --quiet --summary-json "$work/summary.json" 2>/dev/null || true
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
