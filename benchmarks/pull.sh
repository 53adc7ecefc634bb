#!/usr/bin/env bash
# Benchmark of a full pull from the emulator on loopback: records/s, CPU time per record and peak RSS of
# trail-pull, and the emulator's CPU time per record.
# Usage: [REPEAT=R] benchmarks/pull.sh [N ...]   (N generated Tuor traces per emulator; default 20000 100000)
#
# One emulator per N is started and kept running; then R rounds (default 3) each pull every N once into a
# fresh workspace, the sizes alternated, so that a slow moment of the machine falls on every size alike.
# One Markdown row per N gives the medians over the rounds and the range of the rates; the last column is
# the median rate as a share of the median rate at 100,000 (or at the first N when 100,000 is not run).
# Single runs vary by 10-20% on a shared 2-core machine; compare medians.
# Needs /usr/bin/time (Debian's `time` package; installed if missing).
# For the flat-memory check run `benchmarks/pull.sh 20000 100000 1000000`: the emulator then needs about
# 3 minutes (2-core machine) and about 2.5 GiB to generate its million traces before the pulls start, and
# each 1,000,000 workspace takes about 1.4 GB in the temporary directory while it is pulled (set TMPDIR to
# move it).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(20000 100000)
repeat="${REPEAT:-3}"

if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >/dev/null
fi
source benchmarks/release_build.sh
bin="$(release_build trail-serve trail-pull)"
key="tuor_bench_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
work="$(mktemp -d)"
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

for n in "${sizes[@]}"; do
    TUOR_API_KEY="$key" "$bin/trail-serve" --port 0 --generate "$n" >"$work/serve-$n.out" 2>/dev/null &
    servers+=($!)
    echo $! >"$work/serve-$n.pid"
done
# Each emulator prints its port once its generated data is in place; that takes a while for large N.
for n in "${sizes[@]}"; do
    while [ ! -s "$work/serve-$n.out" ]; do
        if ! kill -0 "$(cat "$work/serve-$n.pid")" 2>/dev/null; then
            echo "trail-serve --generate $n exited before serving" >&2
            exit 1
        fi
        sleep 0.5
    done
done
load_before="$(cut -d" " -f1-3 /proc/loadavg)"

# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
    awk -v tick="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tick }' "/proc/$1/stat"
}

for round in $(seq "$repeat"); do
    for n in "${sizes[@]}"; do
        port="$(head -n 1 "$work/serve-$n.out")"
        server="$(cat "$work/serve-$n.pid")"
        before="$(cpu_seconds "$server")"
        rm -rf "$work/ws" "$work/summary.json"
        TUOR_API_KEY="$key" /usr/bin/time -f "%U %S %M" -o "$work/time.txt" "$bin/trail-pull" --source tuor \
            --base-url "http://127.0.0.1:$port" --project proj_invoices proj_support proj_contracts \
            --out "$work/ws" --rate-limit 0 --quiet --summary-json "$work/summary.json" >/dev/null 2>&1 || true
        after="$(cpu_seconds "$server")"
        if [ ! -s "$work/summary.json" ]; then
            echo "the pull of $n traces (round $round) wrote no summary" >&2
            exit 1
        fi
        echo "$n $round $(cat "$work/time.txt") $before $after" >>"$work/runs.txt"
        cp "$work/summary.json" "$work/summary-$n-$round.json"
    done
done
rm -rf "$work/ws"

python3 - "$work" "$repeat" "${sizes[@]}" <<'PY'
import json, statistics, sys
work, repeat, sizes = sys.argv[1], int(sys.argv[2]), [int(n) for n in sys.argv[3:]]
rows = {n: [] for n in sizes}
for line in open(f"{work}/runs.txt"):
    n, round_, user, system, rss_kb, before, after = line.split()
    s = json.load(open(f"{work}/summary-{n}-{round_}.json"))
    received = s["new"] + s["updated"] + s["unchanged"] + s["quarantined"]
    rows[int(n)].append({
        "received": received,
        "seconds": s["duration_seconds"],
        "rate": s["records_per_second"],
        "pull_us": (float(user) + float(system)) / received * 1e6,
        "serve_us": (float(after) - float(before)) / received * 1e6,
        "rss": int(rss_kb) / 1024,
    })
median = lambda runs, key: statistics.median(r[key] for r in runs)
base = 100000 if 100000 in sizes else sizes[0]
base_rate = median(rows[base], "rate")
print(f"{repeat} rounds, sizes alternated; medians, and the range of the rates:")
print()
print("| traces generated | records pulled | seconds | records/s | range | trail-pull CPU µs/record "
      "| emulator CPU µs/record | peak RSS (MiB) | rate / rate at " + f"{base:,} |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    runs = rows[n]
    rates = [r["rate"] for r in runs]
    print(f"| {n:,} | {runs[0]['received']:,} | {median(runs, 'seconds'):.1f} | {median(runs, 'rate'):,.0f} "
          f"| {min(rates):,.0f}–{max(rates):,.0f} | {median(runs, 'pull_us'):.1f} | {median(runs, 'serve_us'):.1f} "
          f"| {max(r['rss'] for r in runs):.0f} | {median(runs, 'rate') / base_rate:.0%} |")
PY
echo
echo "load average before the pulls: $load_before; after: $(cut -d" " -f1-3 /proc/loadavg); $(nproc) cores"
