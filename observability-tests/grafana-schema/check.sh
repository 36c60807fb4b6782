#!/usr/bin/env bash
# Type-checks Grafana dashboard JSON files against Grafana's published dashboard schema (@grafana/schema, pinned in
# package-lock.json) with tsc --noEmit --strict. Installs the pinned packages once with `npm ci` into
# ~/.cache/pulse/grafana-schema/<lock hash> (PULSE_GRAFANA_SCHEMA_CACHE overrides the parent folder), outside the repo.
# Usage: check.sh WORK_DIR DASHBOARD.json...   (exit 0: all valid; 1: tsc reported errors; 3: npm ci failed)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="${1:?usage: check.sh WORK_DIR DASHBOARD.json...}"; shift
[[ $# -gt 0 ]] || { echo "usage: check.sh WORK_DIR DASHBOARD.json..." >&2; exit 2; }
LOCK_HASH="$(sha256sum "$HERE/package-lock.json" | cut -c1-16)"
CACHE="${PULSE_GRAFANA_SCHEMA_CACHE:-$HOME/.cache/pulse/grafana-schema}/$LOCK_HASH"
if [[ ! -f "$CACHE/node_modules/typescript/bin/tsc" ]]; then
  STAGE="$CACHE.tmp.$$"
  rm -rf "$STAGE" && mkdir -p "$STAGE"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$STAGE/"
  if ! (cd "$STAGE" && npm ci --no-audit --no-fund --loglevel=error) >&2; then
    rm -rf "$STAGE"
    echo "check.sh: npm ci could not install @grafana/schema and typescript (pinned in $HERE/package-lock.json)" \
         "from the npm registry $(npm config get registry 2>/dev/null || echo '?'); this check needs it once" >&2
    exit 3
  fi
  mkdir -p "$(dirname "$CACHE")"
  mv -T "$STAGE" "$CACHE" 2>/dev/null || rm -rf "$STAGE" # another run installed it meanwhile: keep theirs
fi
mkdir -p "$WORK"
ln -sfn "$CACHE/node_modules" "$WORK/node_modules"
node "$HERE/generate.mjs" "$WORK" "$@"
cd "$WORK"
node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit --strict --pretty false
