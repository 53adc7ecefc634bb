#!/usr/bin/env bash
# Formats the Swift sources in place with the house style, then lints strictly.
# Usage: scripts/format.sh [--check]   (--check: lint only, fail on any finding)
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests FuzzTesting/Package.swift FuzzTesting/Sources)
if [ "${1:-}" != "--check" ]; then
    swift format format --in-place --recursive --parallel "${paths[@]}"
fi
swift format lint --strict --recursive --parallel "${paths[@]}"
