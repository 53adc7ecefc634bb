#!/usr/bin/env bash
# The main job, end to end: start trail-serve seeded with samples/workspace on a free port, pull from it
# into a fresh workspace with trail-pull, print the summary, stop the server.
# (trail-archive and trail-verify join the flow once they ship.)
# Usage: scripts/pull-demo.sh [WORKSPACE]   (default: a new temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product trail-serve >/dev/null
swift build --product trail-pull >/dev/null
bin="$(swift build --show-bin-path)"

workspace="${1:-$(mktemp -d)/workspace}"
work="$(mktemp -d)"
# A throwaway key, generated here and known only to this server and this pull; it is passed through
# the environment, never on a command line.
key="tuor_demo_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

TUOR_API_KEY="$key" "$bin/trail-serve" --port 0 --seed samples/workspace >"$work/serve.out" 2>"$work/serve.err" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 100); do
    [ -s "$work/serve.out" ] && break
    sleep 0.1
done
port="$(head -n 1 "$work/serve.out")"
echo "trail-serve: http://127.0.0.1:$port (seeded with samples/workspace)"

status=0
TUOR_API_KEY="$key" "$bin/trail-pull" --source tuor --base-url "http://127.0.0.1:$port" \
    --project proj_acmefinance proj_supportdesk --out "$workspace" \
    --summary-json "$work/summary.json" || status=$?

echo "workspace: $workspace"
python3 - "$work/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"summary: {s['status']}: {s['new']} new, {s['updated']} updated, {s['quarantined']} quarantined, "
      f"{s['retried']} retried, {s['records_per_second']} records/s")
for project, p in s["projects"].items():
    print(f"  {project}: {p['prompt_versions']} prompt versions, {p['traces']} traces")
PY
exit "$status"
