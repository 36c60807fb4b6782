#!/usr/bin/env bash
# Builds Jaeger's all-in-one binary (collector with the OTLP receiver, in-memory storage, the query service and its
# HTTP API) from its Go module github.com/jaegertracing/jaeger (no release download, no Docker) and caches it outside
# the repo, keyed by version:
#   ${PULSE_JAEGER_DIR:-$HOME/.cache/pulse/jaeger}/<version>/jaeger-all-in-one
# A second run with the binary present returns at once. Prints the directory on its last line.
# The web UI is the placeholder page the Go module carries (the React UI is an npm build the module lacks);
# the query API (/api/traces, /api/services) is complete. hack/observability/README.md has the build figures.
set -euo pipefail

VERSION="${PULSE_JAEGER_VERSION:-v1.75.0}"
CACHE_ROOT="${PULSE_JAEGER_DIR:-$HOME/.cache/pulse/jaeger}"
OUT="$CACHE_ROOT/$VERSION"

if [[ -x "$OUT/jaeger-all-in-one" ]]; then
  echo "$OUT"
  exit 0
fi
command -v go >/dev/null || { echo "build-jaeger: Go is required (https://go.dev/dl)" >&2; exit 1; }
log() { echo "[build-jaeger] $*" >&2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK" "$OUT.partial"' EXIT
mkdir -p "$OUT.partial"
export GOFLAGS="-mod=mod" CGO_ENABLED=0

cd "$WORK"
go mod init pulse.dev/jaeger >/dev/null 2>&1
# A dependency's replace directives are not honoured: copy Jaeger's own (v1.75.0 has one, for sarama).
GOMOD_FILE="$(go mod download -json "github.com/jaegertracing/jaeger@$VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
grep '^replace ' "$GOMOD_FILE" >> go.mod || true
log "Jaeger $VERSION: resolving modules"
go get "github.com/jaegertracing/jaeger@$VERSION" >/dev/null 2>&1
log "compiling cmd/all-in-one (cached afterwards)"
go build -trimpath -ldflags "-s -w" -o "$OUT.partial/jaeger-all-in-one" github.com/jaegertracing/jaeger/cmd/all-in-one
"$OUT.partial/jaeger-all-in-one" version >&2 || true
rm -rf "$OUT" && mv "$OUT.partial" "$OUT"
echo "$OUT"
