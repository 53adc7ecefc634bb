#!/usr/bin/env bash
# The main job on the bundled samples: installs what is missing, builds the tools, and runs them on
# samples/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh

echo "== building the PromptTrail tools"
swift build --product trail-validate >/dev/null
swift build >/dev/null
bin=$(swift build --show-bin-path)

echo "== bundled schemas (embedded in the binaries)"
"$bin/trail-validate" --list-schemas

echo "== samples checked against the bundled schemas by an independent validator (Python jsonschema)"
.venv/bin/python -m pytest -q Tests/Python

