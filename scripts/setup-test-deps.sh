#!/usr/bin/env bash
# Installs what the integration tests need. Idempotent: apt runs only when a
# package is missing, pip only when the pinned requirements changed.
#   Debian: libpcap-dev node-ws nginx-light tshark tcpdump python3-venv, and tcpreplay for the
#   capture benchmark
#   .venv at the repo root with Tests/integration/requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PKGS=(libpcap-dev node-ws nginx-light tshark tcpdump python3-venv tcpreplay)
missing=()
for p in "${APT_PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]})); then
    echo "setup-test-deps: installing ${missing[*]}"
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
    export DEBIAN_FRONTEND=noninteractive
    echo "wireshark-common wireshark-common/install-setuid boolean false" | "${SUDO[@]}" debconf-set-selections
    "${SUDO[@]}" apt-get update -q
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
    echo "setup-test-deps: apt packages present"
fi

PY=${PYTHON:-python3}
REQ=Tests/integration/requirements.txt
STAMP=.venv/.requirements.installed
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys' 2>/dev/null; then
    rm -rf .venv
    "$PY" -m venv .venv || /usr/bin/python3 -m venv .venv
fi
if ! cmp -s "$REQ" "$STAMP"; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQ"
    cp "$REQ" "$STAMP"
else
    echo "setup-test-deps: .venv up to date"
fi
