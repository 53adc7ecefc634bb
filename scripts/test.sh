#!/usr/bin/env bash
# Runs every check: the Swift build (PromptTrail's own targets treat warnings as errors), the Swift
# tests, the schema embedding check, the format lint, the Python-side independent checks, and a short
# fuzzing pass over every target of FuzzTesting/ (docs/testing.md).
# Installs what is missing first (scripts/bootstrap.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh

echo "== embedded schemas match schemas/"
python3 scripts/embed-schemas.py --check

echo "== embedded archive format document matches docs/"
python3 scripts/embed-archive-format.py --check

echo "== format"
scripts/format.sh --check

echo "== swift build (every import declared in Package.swift)"
swift build --build-tests --explicit-target-dependency-import-check error

echo "== swift test"
swift test --skip-build

echo "== python checks (independent judges)"
.venv/bin/python -m pytest -q Tests/Python

echo "== fuzz (every target of FuzzTesting/ for 20 s, with AddressSanitizer)"
scripts/fuzz.sh 20
