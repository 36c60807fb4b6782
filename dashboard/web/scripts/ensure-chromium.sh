#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot be fetched here).
# Installs it only when it is missing; CI runs as root on a fresh Debian machine.
set -euo pipefail
CHROMIUM="${PULSE_CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$CHROMIUM" ]]; then
  exit 0
fi
echo "ensure-chromium: $CHROMIUM not found, installing Debian's chromium package" >&2
SUDO=""
if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
"$CHROMIUM" --version >&2
