#!/usr/bin/env bash
# The main job, end to end, on the bundled samples, as a user would run it:
#   1. start trail-serve (the local Tuor emulator) seeded with samples/workspace on a free port;
#   2. trail-pull every prompt version and trace from it into a fresh workspace;
#   3. trail-archive the workspace into a signed audit archive;
#   4. trail-verify the archive offline, and show one output's provenance;
#   5. trail-export it as Parquet for warehouses.
# Installs what is missing first (scripts/bootstrap.sh). Never reads standard input.
# Usage: scripts/demo.sh [OUTPUT_DIR]   (default: a new directory under /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh

echo "== building the PromptTrail tools (the first build takes several minutes)"
swift build >/dev/null
bin="$(swift build --show-bin-path)"

out="${1:-$(mktemp -d /tmp/prompttrail-demo.XXXXXX)}"
mkdir -p "$out"
workspace="$out/workspace"
rm -rf "$workspace" "$out/export"
work="$(mktemp -d)"
# A throwaway key known only to this server and this pull, passed through the environment (never argv).
key="tuor_demo_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

echo "== 1. trail-serve, seeded with samples/workspace"
TUOR_API_KEY="$key" "$bin/trail-serve" --port 0 --seed samples/workspace >"$work/serve.out" 2>"$work/serve.err" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do
    [ -s "$work/serve.out" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; exit 2; }
    sleep 0.1
done
port="$(head -n 1 "$work/serve.out")"
echo "listening on http://127.0.0.1:$port"

echo "== 2. trail-pull into $workspace"
TUOR_API_KEY="$key" "$bin/trail-pull" --source tuor --base-url "http://127.0.0.1:$port" \
    --project proj_acmefinance proj_supportdesk --out "$workspace" --summary-json "$out/pull-summary.json"

echo "== 3. trail-archive, signed"
"$bin/trail-archive" keygen -o "$out/audit.key" >/dev/null
"$bin/trail-archive" "$workspace" -o "$out/audit.tar.zst" --sign "$out/audit.key"

echo "== 4. trail-verify"
"$bin/trail-verify" "$out/audit.tar.zst" --key "$out/audit.key.pub"
trace="$(head -n 1 "$(ls "$workspace"/traces/proj_acmefinance/*.jsonl | head -n 1)" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["trace_id"])')"
echo "-- provenance of $trace:"
"$bin/trail-verify" "$out/audit.tar.zst" --key "$out/audit.key.pub" --trace "$trace" | head -n 20

echo "== 5. trail-export to Parquet"
"$bin/trail-export" "$out/audit.tar.zst" --out "$out/export"

echo
echo "== summary"
python3 - "$out/pull-summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"pulled: {s['new']} new, {s['updated']} updated, {s['quarantined']} quarantined, {s['retried']} retried")
for project, p in s["projects"].items():
    print(f"  {project}: {p['prompt_versions']} prompt versions, {p['traces']} traces")
PY
echo "workspace: $workspace"
echo "archive:   $out/audit.tar.zst  (public key $out/audit.key.pub)"
echo "export:    $out/export"
