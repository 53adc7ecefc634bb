#!/usr/bin/env bash
# Installs what PromptTrail needs to build and test, only where it is missing:
#   - Debian packages: libarchive-dev, zlib1g-dev, libzstd-dev and libsqlite3-dev (linked by the tools), pkg-config,
#     libarchive-tools (bsdtar, the independent archive reader the tests use), zstd, xz-utils and
#     openssl (the reference compressors and the Ed25519 cross-check used by the tests and benchmarks),
#     chromium and fonts-dejavu-core (the headless browser that renders report.html in the tests);
#   - a Python virtualenv at .venv with the independent judges the tests use (Tests/Python/requirements.txt).
# Safe to run again: it does nothing when everything is present. Never reads standard input.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libarchive-dev zlib1g-dev libzstd-dev libsqlite3-dev pkg-config libarchive-tools gzip zstd xz-utils openssl chromium fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Debian splits venv out of python3; a python3 that already has it (pyenv, python.org) needs nothing.
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq </dev/null
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

requirements=Tests/Python/requirements.txt
stamp=.venv/.requirements.sha256
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "bootstrap: preparing .venv (Python test peers)" >&2
    python3 -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" </dev/null
    echo "$wanted" > "$stamp"
fi
