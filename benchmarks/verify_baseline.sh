#!/usr/bin/env bash
# Times trail-verify against the trail-verify of an earlier revision, on the same workspace, in the same
# run: each version archives the workspace with its own trail-archive, then the two verifies alternate
# (ROUNDS times each, default 5) so that a busier or quieter moment of the machine falls on both.
#
#   benchmarks/verify_baseline.sh BASE_REVISION [N_TRACES] [WORK_DIR]     (default 50000 traces)
#
# The base revision is built in release mode in a git worktree under WORK_DIR (BASE_BIN=DIR uses an
# already built bin directory instead). Prints the median seconds of each and their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:?give the base revision, e.g. the commit before a change}
traces=${2:-50000}
work=${3:-$(mktemp -d "${TMPDIR:-/tmp}/prompttrail-verify-baseline.XXXXXX")}
rounds=${ROUNDS:-5}
mkdir -p "$work"

source benchmarks/release_build.sh
bin=$(release_build trail-archive trail-verify)
if [ -z "${BASE_BIN:-}" ]; then
    if [ ! -d "$work/base" ]; then git worktree add --detach "$work/base" "$base" >/dev/null; fi
    BASE_BIN=$(cd "$work/base" && release_build trail-archive trail-verify)
fi

if [ ! -f "$work/ws/workspace.json" ]; then
    python3 benchmarks/generate_workspace.py "$work/ws" --traces "$traces" --days 30
fi
rm -f "$work/base.tar.zst" "$work/head.tar.zst"
"$BASE_BIN/trail-archive" "$work/ws" -o "$work/base.tar.zst" >/dev/null
"$bin/trail-archive" "$work/ws" -o "$work/head.tar.zst" >/dev/null
cat "$work/base.tar.zst" "$work/head.tar.zst" >/dev/null   # both in the page cache

seconds() { /usr/bin/time -f "%e" -o "$work/time.log" "$@" >/dev/null 2>&1 || true; cat "$work/time.log"; }
base_times=()
head_times=()
for _ in $(seq "$rounds"); do
    base_times+=("$(seconds "$BASE_BIN/trail-verify" "$work/base.tar.zst")")
    head_times+=("$(seconds "$bin/trail-verify" "$work/head.tar.zst")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
base_median=$(median "${base_times[@]}")
head_median=$(median "${head_times[@]}")
printf '\n%-44s %8s   %s\n' "trail-verify ($traces traces, $rounds rounds)" "median s" "all rounds"
printf '%-44s %8s   %s\n' "base $(git rev-parse --short "$base")" "$base_median" "${base_times[*]}"
printf '%-44s %8s   %s\n' "HEAD $(git rev-parse --short HEAD)" "$head_median" "${head_times[*]}"
python3 -c "import sys; b, h = map(float, sys.argv[1:]); print(f'HEAD / base = {h / b:.3f} (target <= 1.10)')" \
    "$base_median" "$head_median"
