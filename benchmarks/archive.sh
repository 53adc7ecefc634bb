#!/usr/bin/env bash
# Benchmarks trail-archive and trail-verify against the reference tools, side by side.
#
#   benchmarks/archive.sh [N_TRACES] [WORK_DIR]      (default 1000000 traces in a temporary folder)
#
# Every command runs REPEAT times (default 3), in rounds that run them all in turn; the table shows the
# medians (a single run on a shared machine can be off by a third), and the per-round ratios of
# trail-verify against its checking peer show the spread.
#
# 1. generates a workspace of N traces (benchmarks/generate_workspace.py);
# 2. trail-archive -> .tar.zst vs `tar -I 'zstd -3 -T0' -cf` over the same files, and
#    trail-archive -> .tar.gz vs `tar -czf`;
# 3. trail-verify vs `tar -xf` followed by `bagit.py --validate` (the reference for a BagIt check);
# 4. peak RSS of both tools (GNU time);
# 5. peers that also check the records (benchmarks/archive_peer.py), since tar alone checks nothing: for
#    trail-archive, the tar command plus SHA-256 and jsonschema_rs over every record of the workspace on all
#    cores; for trail-verify, tar -xf and bagit.py plus jsonschema_rs over every record of the extracted
#    archive that trail-verify checks (lineage.jsonl included), against the schemas the archive carries.
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

REPEAT=${REPEAT:-3}
.venv/bin/pip install --quiet --disable-pip-version-check jsonschema-rs orjson >&2
t_ref_zst=() t_our_zst=() t_peer_check=() t_ref_gz=() t_our_gz=() t_ref_x=() t_ref_bagit=() t_bag_check=() t_our_verify=()
for ((round = 0; round < REPEAT; round++)); do
    rm -f "$work"/*.tar.* "$work"/out.*
    read -r value _ < <(seconds tar -I 'zstd -3 -T0' -cf "$work/ref.tar.zst" -C "$work/ws" .)
    t_ref_zst+=("$value")
    read -r value rss_archive < <(seconds "$bin/trail-archive" "$work/ws" -o "$work/out.tar.zst" "${schema_args[@]}")
    t_our_zst+=("$value")
    read -r peer_records _ value < <(.venv/bin/python benchmarks/archive_peer.py "$work/ws" "${PROMPTTRAIL_SCHEMAS:-schemas}")
    t_peer_check+=("$value")
    read -r value _ < <(seconds tar -czf "$work/ref.tar.gz" -C "$work/ws" .)
    t_ref_gz+=("$value")
    read -r value _ < <(seconds "$bin/trail-archive" "$work/ws" -o "$work/out.tar.gz" "${schema_args[@]}")
    t_our_gz+=("$value")

    rm -rf "$work/extracted" && mkdir -p "$work/extracted"
    read -r value _ < <(seconds tar -xf "$work/out.tar.zst" -C "$work/extracted")
    t_ref_x+=("$value")
    sync # the extracted files' writeback is not charged to the commands after it
    read -r value _ < <(seconds .venv/bin/python -m bagit --validate "$work/extracted")
    t_ref_bagit+=("$value")
    read -r bag_records _ value < <(.venv/bin/python benchmarks/archive_peer.py --bag "$work/extracted")
    t_bag_check+=("$value")
    read -r value rss_verify < <(seconds "$bin/trail-verify" "$work/out.tar.zst")
    t_our_verify+=("$value")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ value[NR] = $1 } END { print value[int((NR + 1) / 2)] }'; }
ref_zst=$(median "${t_ref_zst[@]}")
our_zst=$(median "${t_our_zst[@]}")
peer_check=$(median "${t_peer_check[@]}")
ref_gz=$(median "${t_ref_gz[@]}")
our_gz=$(median "${t_our_gz[@]}")
ref_x=$(median "${t_ref_x[@]}")
ref_bagit=$(median "${t_ref_bagit[@]}")
bag_check=$(median "${t_bag_check[@]}")
our_verify=$(median "${t_our_verify[@]}")
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{a / b:.2f}' if b else 'inf')" "$1" "$2"; }
mib() { echo "$(($1 / 1024)) MiB"; }
add() { python3 -c "import sys; print(round(sum(map(float, sys.argv[1:])), 2))" "$@"; }
ref_verify=$(add "$ref_x" "$ref_bagit")
peer_archive=$(add "$ref_zst" "$peer_check")
peer_verify=$(add "$ref_x" "$ref_bagit" "$bag_check")
# Each round's checking peer for verify against that round's trail-verify.
round_ratios=()
for ((round = 0; round < REPEAT; round++)); do
    round_ratios+=("$(ratio "$(add "${t_ref_x[round]}" "${t_ref_bagit[round]}" "${t_bag_check[round]}")" "${t_our_verify[round]}")")
done
printf '\n%-58s %10s\n' "command ($traces traces; median of $REPEAT rounds)" "seconds"
printf '%-58s %10s\n' "tar -I 'zstd -3 -T0' -cf" "$ref_zst"
printf '%-58s %10s   speed-up %sx (target >= 1.5x)\n' "trail-archive -> .tar.zst (validate, hash, lineage)" "$our_zst" "$(ratio "$ref_zst" "$our_zst")"
printf '%-58s %10s   speed-up %sx\n' "tar -I zstd + jsonschema_rs + SHA-256 ($peer_records records)" "$peer_archive ($ref_zst + $peer_check)" "$(ratio "$peer_archive" "$our_zst")"
printf '%-58s %10s\n' "tar -czf" "$ref_gz"
printf '%-58s %10s   time ratio %s (target <= 1.10)\n' "trail-archive -> .tar.gz" "$our_gz" "$(ratio "$our_gz" "$ref_gz")"
printf '%-58s %10s\n' "tar -xf + bagit.py --validate" "$ref_verify ($ref_x + $ref_bagit)"
printf '%-58s %10s\n' "tar -xf + bagit.py --validate + jsonschema_rs ($bag_records records)" "$peer_verify ($ref_verify + $bag_check)"
printf '%-58s %10s   speed-up %sx (target >= 3x); %sx against the checking peer\n' "trail-verify" "$our_verify" "$(ratio "$ref_verify" "$our_verify")" "$(ratio "$peer_verify" "$our_verify")"
echo "trail-verify against the checking peer, round by round: ${round_ratios[*]}"
echo "peak RSS: trail-archive $(mib "$rss_archive"), trail-verify $(mib "$rss_verify") (target < 200 MiB)"
echo "sizes: ref.tar.zst $(stat -c %s "$work/ref.tar.zst"), out.tar.zst $(stat -c %s "$work/out.tar.zst"), ref.tar.gz $(stat -c %s "$work/ref.tar.gz"), out.tar.gz $(stat -c %s "$work/out.tar.gz") bytes"
