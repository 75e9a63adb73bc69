#!/usr/bin/env bash
# Installs the Debian packages CollectBot needs; idempotent and quick when they are present.
set -euo pipefail
PACKAGES=(postgresql redis-server debootstrap sip-tester espeak-ng sox bc curl zstd wrk chromium fonts-noto-cjk)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm for the console's front-end libraries (`npm ci` in make install); any Node.js >= 18 will do
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "collectbot: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
        exit 1
    fi
    echo "collectbot: installing Debian packages: ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
