#!/usr/bin/env bash
# Install the system packages the tests need (Debian): Chromium and its WebDriver,
# for tests/browser. Idempotent: does nothing, and never calls apt, when both are
# already installed. Needs root (CI runs as root) or sudo.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-system: no apt-get here; install Chromium and ChromeDriver as /usr/bin/chromium and /usr/bin/chromedriver" >&2
    exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "setup-system: chromium and chromium-driver are missing; run this script as root" >&2
        exit 1
    fi
    as_root=(sudo)
fi
echo "setup-system: installing chromium and chromium-driver" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq chromium chromium-driver >/dev/null
