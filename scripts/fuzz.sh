#!/usr/bin/env bash
# Builds the fuzz targets of FuzzTesting/ with libFuzzer and AddressSanitizer (leak detection on) and runs
# each for SECONDS (60 by default), two at a time. Crashes, leaks, timeouts and out-of-memory inputs are kept
# as files under .build/fuzz-artifacts/<target>/; the script prints a table (runs, exec/s, coverage, result)
# and exits 1 when any target failed. The corpus grows in .build/fuzz-corpus/<target>/ from run to run.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   FUZZ_JOBS=N       targets run at once (2 by default)
#   FUZZ_SKIP_BUILD=1 use the binaries already built
# Every input in FuzzTesting/Regressions/<target>/ (each once a crash) is run first, every time.
# Never reads standard input; works the same with CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
[ $# -gt 0 ] && shift
all=(FuzzJSON FuzzNDJSON FuzzSchema FuzzSchemaProjection FuzzPattern FuzzArchive FuzzClient FuzzTimestamp FuzzParquet)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi
jobs=${FUZZ_JOBS:-2}

# Per target: the longest input, and the dictionary (FuzzTesting/Dictionaries/, "-" for none).
declare -A max_len=(
    [FuzzJSON]=65536 [FuzzNDJSON]=65536 [FuzzSchema]=65536 [FuzzSchemaProjection]=65536 [FuzzPattern]=48
    [FuzzArchive]=1048576 [FuzzClient]=65536 [FuzzTimestamp]=256 [FuzzParquet]=65536
)
declare -A dictionary=(
    [FuzzJSON]=json [FuzzNDJSON]=json [FuzzSchema]=schema [FuzzSchemaProjection]=schema [FuzzPattern]=pattern
    [FuzzArchive]=archive [FuzzClient]=client [FuzzTimestamp]=timestamp [FuzzParquet]=-
)
for target in "${targets[@]}"; do
    [ -n "${max_len[$target]:-}" ] || { echo "fuzz: unknown target $target (known: ${all[*]})" >&2; exit 2; }
done

artifacts=$root/.build/fuzz-artifacts
corpus=$root/.build/fuzz-corpus
seeds=$root/.build/fuzz-seeds
mkdir -p "$artifacts" "$corpus"

if [ "${FUZZ_SKIP_BUILD:-}" != 1 ]; then
    echo "== fuzz: building FuzzTesting (-sanitize=fuzzer,address)"
    start=$(date +%s)
    (cd FuzzTesting && swift build -c debug -Xswiftc -sanitize=fuzzer,address </dev/null) \
        > "$artifacts/build.log" 2>&1 || { grep -v "Cannot export local symbol" "$artifacts/build.log" | tail -40 >&2; exit 1; }
    echo "== fuzz: built in $(($(date +%s) - start)) s"
fi
binaries=$(cd FuzzTesting && swift build -c debug -Xswiftc -sanitize=fuzzer,address --show-bin-path </dev/null)

rm -rf "$seeds"
python3 FuzzTesting/make-seeds.py "$seeds"

# Leak detection stays on, less the toolchain's own leaks listed in FuzzTesting/lsan.supp.
export LSAN_OPTIONS="suppressions=$root/FuzzTesting/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# The scratch files the targets write go to memory when it can.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi

run_target() {
    local target=$1
    local out=$artifacts/$target
    rm -rf "$out"
    mkdir -p "$out" "$corpus/$target"
    local options=(
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$target]}"
        -print_final_stats=1 -artifact_prefix="$out/"
    )
    [ "${dictionary[$target]}" = - ] || options+=(-dict="$root/FuzzTesting/Dictionaries/${dictionary[$target]}.dict")
    local inputs=("$corpus/$target")
    for extra in "$seeds/$target" "$root/FuzzTesting/Corpus/$target" "$root/FuzzTesting/Regressions/$target"; do
        [ -d "$extra" ] && inputs+=("$extra")
    done
    local status=0
    "$binaries/$target" "${options[@]}" "${inputs[@]}" </dev/null >"$out.log" 2>&1 || status=$?
    echo "$status" > "$out.status"
}

echo "== fuzz: ${#targets[@]} targets, $seconds s each, $jobs at a time (logs in .build/fuzz-artifacts/)"
for target in "${targets[@]}"; do
    run_target "$target" &
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
wait

failed=0
printf '%-22s %12s %8s %8s %8s  %s\n' target runs exec/s cov ft result
for target in "${targets[@]}"; do
    log=$artifacts/$target.log
    status=$(cat "$artifacts/$target.status" 2>/dev/null || echo 1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
    kept=$(find "$artifacts/$target" -type f | head -1)
    if [ "$status" = 0 ] && [ -z "$kept" ]; then
        result=ok
    else
        failed=1
        result="FAILED (exit $status) ${kept:+kept ${kept#"$root"/}}"
    fi
    printf '%-22s %12s %8s %8s %8s  %s\n' "$target" "${runs:-?}" "${speed:-?}" \
        "$(echo "$coverage" | awk '{print $2}')" "$(echo "$coverage" | awk '{print $4}')" "$result"
done
if [ "$failed" != 0 ]; then
    echo "fuzz: a target failed; its log is .build/fuzz-artifacts/<target>.log (reproduce: the binary with the kept file)" >&2
    exit 1
fi
