#!/usr/bin/env bash
# Builds the real Prometheus server and promtool from their Go module (github.com/prometheus/prometheus, no
# release download, no Docker) and caches them outside the repo, keyed by version:
#   ${PULSE_PROMETHEUS_DIR:-$HOME/.cache/pulse/prometheus}/<module-version>/{prometheus,promtool}
# A second run with both binaries present returns at once. Prints the directory on its last line.
#
# Two build tags keep the cold build small (hack/observability/README.md has the figures):
#  - remove_all_sd: no service-discovery plugins (AWS, Azure, GCP, Kubernetes, Consul, ...); Pulse's tests and
#    ./pulse local --observe scrape static targets only. static_configs and file_sd_configs are always built in.
#  - builtinassets is NOT set: the React UI is an npm build whose output the Go module does not carry. The HTTP API
#    (/api/v1/...) is complete; the web pages answer with an error. The tests and --observe use the API.
#    build-prometheus-ui.sh builds the same version with the UI (npm), apart, for people and screenshots.
set -euo pipefail

VERSION="${PULSE_PROMETHEUS_VERSION:-v0.316.0}"   # the Go module's version of Prometheus 3.16.0
CACHE_ROOT="${PULSE_PROMETHEUS_DIR:-$HOME/.cache/pulse/prometheus}"
OUT="$CACHE_ROOT/$VERSION"

if [[ -x "$OUT/prometheus" && -x "$OUT/promtool" ]]; then
  echo "$OUT"
  exit 0
fi
command -v go >/dev/null || { echo "build-prometheus: Go is required (https://go.dev/dl)" >&2; exit 1; }
log() { echo "[build-prometheus] $*" >&2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK" "$OUT.partial"' EXIT
mkdir -p "$OUT.partial"
export GOFLAGS="-mod=mod" CGO_ENABLED=0

# The release number Prometheus reports (v0.316.0 -> 3.16.0), as its own Makefile stamps it.
minor="${VERSION#v0.3}"; minor="${minor%%.*}"; patch="${VERSION##*.}"
RELEASE="3.$((10#$minor)).$patch"

cd "$WORK"
go mod init pulse.dev/prometheus >/dev/null 2>&1
# The module has no replace directives (checked for v0.316.0); if a later version adds some, copy them here.
cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "github.com/prometheus/prometheus/cmd/prometheus"
	_ "github.com/prometheus/prometheus/cmd/promtool"
)
GO
log "Prometheus $RELEASE ($VERSION): resolving modules"
# Only the requirement (go.mod files of the graph): no `go mod tidy`, which would download every module any test of
# any package needs (about 2 GB). `go build -mod=mod` below fetches the module zips the two commands import.
go get "github.com/prometheus/prometheus@$VERSION" >/dev/null 2>&1
LDFLAGS="-s -w -X github.com/prometheus/common/version.Version=$RELEASE -X github.com/prometheus/common/version.Branch=HEAD \
  -X github.com/prometheus/common/version.Revision=$VERSION -X github.com/prometheus/common/version.BuildUser=pulse"
for cmd in prometheus promtool; do
  log "compiling $cmd (cached afterwards)"
  go build -trimpath -tags remove_all_sd -ldflags "$LDFLAGS" -o "$OUT.partial/$cmd" "github.com/prometheus/prometheus/cmd/$cmd"
done
"$OUT.partial/prometheus" --version >&2
"$OUT.partial/promtool" --version >&2
rm -rf "$OUT" && mv "$OUT.partial" "$OUT"
echo "$OUT"
