#!/usr/bin/env bash
# Builds Prometheus WITH its web UI (the Mantine React UI embedded by the `builtinassets` tag) and caches it outside
# the repo, keyed by version, in the layout build-prometheus.sh uses:
#   ${PULSE_PROMETHEUS_UI_DIR:-$HOME/.cache/pulse/prometheus-ui}/<module-version>/{prometheus,promtool}
# so `PULSE_PROMETHEUS_DIR=$HOME/.cache/pulse/prometheus-ui ./pulse local --observe` runs the UI build (the
# screenshots in observability-tests/docs/ are taken that way, by hack/observability/screenshots.sh).
# Not part of `./mvnw verify`: the tests use the API-only build-prometheus.sh build. Prints the directory last.
#
# Everything comes from the registries: the UI's sources (web/ui: package.json, pnpm-lock.yaml, the Mantine app and
# the PromQL editor modules) are in the Prometheus Go module's zip; their npm dependencies come from the npm registry
# through pnpm (the lock file is pnpm's), installed pinned from npm; then the steps of Prometheus' own Makefile:
# `pnpm run build:mantine-ui` (Makefile `ui-build` with BUILD_UI=mantine), scripts/compress_assets.sh (gzips
# web/ui/static and writes web/ui/embed.go), `go build -tags builtinassets`. The old react-app UI is not built (it is
# only served with --enable-feature=old-ui).
set -euo pipefail

VERSION="${PULSE_PROMETHEUS_VERSION:-v0.316.0}"   # the Go module's version of Prometheus 3.16.0
PNPM_VERSION="10.34.9"   # pnpm 11 needs Node 22; 10.x reads the lock file (v9) and runs on Node 20
CACHE_ROOT="${PULSE_PROMETHEUS_UI_DIR:-$HOME/.cache/pulse/prometheus-ui}"
OUT="$CACHE_ROOT/$VERSION"
HERE="$(cd "$(dirname "$0")" && pwd)"

if [[ -x "$OUT/prometheus" && -x "$OUT/promtool" ]]; then
  echo "$OUT"
  exit 0
fi
for tool in go node npm; do
  command -v "$tool" >/dev/null || { echo "build-prometheus-ui: $tool is required" >&2; exit 1; }
done
log() { echo "[build-prometheus-ui] $*" >&2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK" "$OUT.partial"' EXIT
mkdir -p "$OUT.partial"
export GOFLAGS="-mod=mod" CGO_ENABLED=0

# pnpm, pinned, from npm, cached by version.
PNPM_DIR="$HOME/.cache/pulse/pnpm/$PNPM_VERSION"
if [[ ! -x "$PNPM_DIR/node_modules/.bin/pnpm" ]]; then
  log "installing pnpm $PNPM_VERSION from npm"
  mkdir -p "$PNPM_DIR"
  npm install --prefix "$PNPM_DIR" --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >&2
fi
export PATH="$PNPM_DIR/node_modules/.bin:$PATH"

# The module's sources, writable (the module cache is read-only): the UI build and the asset embedding write into it.
MODDIR="$(go mod download -json "github.com/prometheus/prometheus@$VERSION" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')"
SRC="$WORK/prometheus"
cp -r "$MODDIR" "$SRC"
chmod -R u+w "$SRC"

log "UI: pnpm install (npm registry), then pnpm run build:mantine-ui"
cd "$SRC/web/ui"
# The store is cached so a rebuild of another version downloads only what changed. pnpm 10 does not know the
# workspace's pnpm-11 setting `allowBuilds` (esbuild, unrs-resolver): those packages' install scripts only check
# their prebuilt platform binaries, which pnpm installs as optional dependencies anyway.
# One locked package is no longer served: @mantine/code-highlight 9.7.2 (the registry lists 9.6.2, then 9.8.1; the
# 9.7 releases were withdrawn), so it is pinned to 9.6.2 by an override, the rest of the lock file stays as it is.
node -e '
  const fs = require("fs"); const p = JSON.parse(fs.readFileSync("package.json"));
  p.pnpm = { ...(p.pnpm || {}), overrides: { "@mantine/code-highlight": "9.6.2" } };
  fs.writeFileSync("package.json", JSON.stringify(p, null, 2));'
pnpm install --no-frozen-lockfile --store-dir "$HOME/.cache/pulse/pnpm/store" --config.strict-dep-builds=false \
  --reporter=append-only >&2
CI="" pnpm run build:mantine-ui >&2
[[ -f static/mantine-ui/index.html ]] || { log "the UI build left no static/mantine-ui/index.html"; exit 1; }

log "embedding the assets (scripts/compress_assets.sh)"
cd "$SRC"
bash scripts/compress_assets.sh >&2

minor="${VERSION#v0.3}"; minor="${minor%%.*}"; patch="${VERSION##*.}"
RELEASE="3.$((10#$minor)).$patch"
mkdir "$WORK/build" && cd "$WORK/build"
go mod init pulse.dev/prometheus-ui >/dev/null 2>&1
go mod edit -require="github.com/prometheus/prometheus@$VERSION" -replace="github.com/prometheus/prometheus=$SRC"
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/prometheus/prometheus/cmd/prometheus"
GO
log "compiling prometheus with -tags builtinassets (the Go build cache makes this mostly a link)"
LDFLAGS="-s -w -X github.com/prometheus/common/version.Version=$RELEASE -X github.com/prometheus/common/version.Branch=HEAD \
  -X github.com/prometheus/common/version.Revision=$VERSION -X github.com/prometheus/common/version.BuildUser=pulse"
go build -trimpath -tags "remove_all_sd builtinassets" -ldflags "$LDFLAGS" -o "$OUT.partial/prometheus" \
  github.com/prometheus/prometheus/cmd/prometheus
# promtool has no UI: the API-only build's, so that build-prometheus.sh finds this directory complete.
cp "$(bash "$HERE/build-prometheus.sh" | tail -1)/promtool" "$OUT.partial/promtool"
"$OUT.partial/prometheus" --version >&2
rm -rf "$OUT" && mv "$OUT.partial" "$OUT"
echo "$OUT"
