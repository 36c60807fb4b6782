#!/usr/bin/env bash
# Builds the web app into $1 (the Maven build passes target/classes/static). npm ci runs only when
# package-lock.json changed since the last install, so rebuilds stay fast.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:?usage: build.sh OUT_DIR}"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npx tsc --noEmit
npx vite build --outDir "$OUT" --emptyOutDir --logLevel warn
