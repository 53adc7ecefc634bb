#!/usr/bin/env bash
# Benchmarks trail-archive and trail-verify against the reference tools, one run each, side by side.
#
#   benchmarks/archive.sh [N_TRACES] [WORK_DIR]      (default 1000000 traces in a temporary folder)
#
# 1. generates a workspace of N traces (benchmarks/generate_workspace.py);
# 2. trail-archive -> .tar.zst vs `tar -I 'zstd -3 -T0' -cf` over the same files, and
#    trail-archive -> .tar.gz vs `tar -czf`;
# 3. trail-verify vs `tar -xf` followed by `bagit.py --validate` (the reference for a BagIt check);
# 4. peak RSS of both tools (GNU time);
# 5. a peer that also checks the records: the tar commands plus SHA-256 and jsonschema_rs over every
#    record on all cores (benchmarks/archive_peer.py), since tar alone checks nothing.
# PROMPTTRAIL_SCHEMAS=DIR uses schemas from DIR instead of the bundled ones (development checkouts).
set -euo pipefail
cd "$(dirname "$0")/.."

traces=${1:-1000000}
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/prompttrail-bench.XXXXXX")}
mkdir -p "$work"
scripts/bootstrap.sh
source benchmarks/release_build.sh
bin=$(release_build trail-archive trail-verify)
schema_args=()
[ -n "${PROMPTTRAIL_SCHEMAS:-}" ] && schema_args=(--schema-directory "$PROMPTTRAIL_SCHEMAS")

seconds() { # runs "$@", prints the wall-clock seconds and peak RSS (KiB) on fd 3
    local log="$work/time.log"
    /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>"$work/stderr.log" || { cat "$work/stderr.log" >&2; return 1; }
    cat "$log"
}

if [ ! -f "$work/ws/workspace.json" ]; then
    echo "== generating $traces traces in $work/ws"
    python3 benchmarks/generate_workspace.py "$work/ws" --traces "$traces" --days 30
fi
bytes=$(du -sb "$work/ws" | cut -f1)
echo "workspace: $traces traces, $((bytes / 1048576)) MiB"
sync
cat "$work"/ws/traces/*/*.jsonl >/dev/null   # same warm page cache for every contender

rm -f "$work"/*.tar.* "$work"/out.*
read -r ref_zst _ < <(seconds tar -I 'zstd -3 -T0' -cf "$work/ref.tar.zst" -C "$work/ws" .)
read -r our_zst rss_archive < <(seconds "$bin/trail-archive" "$work/ws" -o "$work/out.tar.zst" "${schema_args[@]}")
.venv/bin/pip install --quiet --disable-pip-version-check jsonschema-rs orjson >&2
read -r peer_records _ peer_check < <(.venv/bin/python benchmarks/archive_peer.py "$work/ws" "${PROMPTTRAIL_SCHEMAS:-schemas}")
read -r ref_gz _ < <(seconds tar -czf "$work/ref.tar.gz" -C "$work/ws" .)
read -r our_gz _ < <(seconds "$bin/trail-archive" "$work/ws" -o "$work/out.tar.gz" "${schema_args[@]}")

rm -rf "$work/extracted" && mkdir -p "$work/extracted"
read -r ref_x _ < <(seconds tar -xf "$work/out.tar.zst" -C "$work/extracted")
read -r ref_bagit _ < <(seconds .venv/bin/python -m bagit --validate "$work/extracted")
read -r our_verify rss_verify < <(seconds "$bin/trail-verify" "$work/out.tar.zst")

ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{a / b:.2f}' if b else 'inf')" "$1" "$2"; }
mib() { echo "$(($1 / 1024)) MiB"; }
add() { python3 -c "import sys; print(round(sum(map(float, sys.argv[1:])), 2))" "$@"; }
ref_verify=$(add "$ref_x" "$ref_bagit")
peer_archive=$(add "$ref_zst" "$peer_check")
peer_verify=$(add "$ref_x" "$ref_bagit" "$peer_check")
printf '\n%-58s %10s\n' "command ($traces traces)" "seconds"
printf '%-58s %10s\n' "tar -I 'zstd -3 -T0' -cf" "$ref_zst"
printf '%-58s %10s   speed-up %sx (target >= 1.5x)\n' "trail-archive -> .tar.zst (validate, hash, lineage)" "$our_zst" "$(ratio "$ref_zst" "$our_zst")"
printf '%-58s %10s   speed-up %sx\n' "tar -I zstd + jsonschema_rs + SHA-256 ($peer_records records)" "$peer_archive ($ref_zst + $peer_check)" "$(ratio "$peer_archive" "$our_zst")"
printf '%-58s %10s\n' "tar -czf" "$ref_gz"
printf '%-58s %10s   time ratio %s (target <= 1.10)\n' "trail-archive -> .tar.gz" "$our_gz" "$(ratio "$our_gz" "$ref_gz")"
printf '%-58s %10s\n' "tar -xf + bagit.py --validate" "$ref_verify ($ref_x + $ref_bagit)"
printf '%-58s %10s\n' "tar -xf + bagit.py --validate + jsonschema_rs + SHA-256" "$peer_verify"
printf '%-58s %10s   speed-up %sx (target >= 3x); %sx against the checking peer\n' "trail-verify" "$our_verify" "$(ratio "$ref_verify" "$our_verify")" "$(ratio "$peer_verify" "$our_verify")"
echo "peak RSS: trail-archive $(mib "$rss_archive"), trail-verify $(mib "$rss_verify") (target < 200 MiB)"
echo "sizes: ref.tar.zst $(stat -c %s "$work/ref.tar.zst"), out.tar.zst $(stat -c %s "$work/out.tar.zst"), ref.tar.gz $(stat -c %s "$work/ref.tar.gz"), out.tar.gz $(stat -c %s "$work/out.tar.gz") bytes"
