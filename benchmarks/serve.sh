#!/usr/bin/env bash
# Load-tests trail-serve's list endpoint with wrk (Debian's package, installed when missing).
#
#   benchmarks/serve.sh [duration] [connections]      (defaults: 10s, 32)
#
# Builds trail-serve in release mode, starts it on a free loopback port with 2,000 generated traces,
# runs `wrk -c <connections> -d <duration>` against GET /v1/traces/?limit=20, prints wrk's report and
# stops the server with SIGTERM. The target on this project's machines: >= 5,000 requests/s, no errors.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
connections=${2:-32}

if ! command -v wrk >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq </dev/null
    $sudo apt-get install -y -qq --no-install-recommends wrk </dev/null >/dev/null
fi

source benchmarks/release_build.sh
binary="$(release_build trail-serve)/trail-serve"
output=$(mktemp)
TUOR_API_KEY=tuor_benchmark "$binary" --port 0 --generate 2000 --log-level error >"$output" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$output"' EXIT
for _ in $(seq 1 200); do
    port=$(head -n 1 "$output" 2>/dev/null || true)
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "${port:-}" ] || { echo "serve.sh: trail-serve did not report a port" >&2; exit 1; }

wrk -t 2 -c "$connections" -d "$duration" -H "X-API-Key: tuor_benchmark" \
    "http://127.0.0.1:${port}/v1/traces/?limit=20"
