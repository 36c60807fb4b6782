#!/usr/bin/env bash
# Builds Flux's source-controller and kustomize-controller from their Go modules (no release download, no image)
# and copies Flux's CRDs out of the same modules, cached outside the repo keyed by version (versions.sh):
#   $FLUX_DIR/source-controller, $FLUX_DIR/kustomize-controller, $FLUX_DIR/crds/*.yaml
# A run with everything present returns at once; prints $FLUX_DIR.
# Each controller is built in a scratch module that requires it and copies its own `replace` lines (Go honours only
# the main module's replaces) except the `./api` one (the api module then comes at the version it requires).
# source-controller pins github.com/fluxcd/pkg/artifact v0.18.3, which the module proxy here refuses: v0.18.0 is used.
# Cold builds on 2 cores: ~8 min (source) and ~4 min (kustomize); ~200 MB per binary.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"

log() { echo "[flux-build] $(date +%H:%M:%S) $*" >&2; }
die() { echo "[flux-build] ERROR: $*" >&2; exit 1; }

all_present() {
  [[ -x "$FLUX_DIR/source-controller" && -x "$FLUX_DIR/kustomize-controller" && -f "$FLUX_CRDS/.complete" ]]
}
if all_present; then echo "$FLUX_DIR"; exit 0; fi

command -v go >/dev/null || die "Go is required (go1.26 or newer)"
mkdir -p "$FLUX_DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export GOFLAGS="-mod=mod" CGO_ENABLED=0 GOTOOLCHAIN=local

# The `replace` directives of a go.mod (single lines and blocks) as go mod edit -replace arguments
# (OLD[@V]=NEW@V), without those to a local path (./api).
replaces_of() {
  awk '
    /^replace[ \t]*\(/ { block = 1; next }
    block && /^\)/      { block = 0; next }
    /^replace[ \t]/     { sub(/^replace[ \t]+/, ""); line = $0 }
    block              { line = $0 }
    line != "" {
      sub(/\/\/.*/, "", line)
      n = split(line, side, "=>")
      if (n == 2) {
        split(side[1], old, " "); m = split(side[2], new, " ")
        if (m == 2 && new[1] !~ /^\./) print old[1] (old[2] != "" ? "@" old[2] : "") "=" new[1] "@" new[2]
      }
      line = ""
    }' "$1"
}

# build NAME VERSION [EXTRA_REPLACE...]
build() {
  local name="$1" version="$2"; shift 2
  local module="github.com/fluxcd/$name" out="$FLUX_DIR/$name"
  if [[ -x "$out" ]]; then log "$name: cached"; return 0; fi
  mkdir -p "$WORK/$name" && cd "$WORK/$name"
  go mod init "pulse.dev/flux-$name" >/dev/null 2>&1
  local gomod
  gomod="$(go mod download -json "$module@v$version" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
  [[ -f "$gomod" ]] || die "could not download $module@v$version"
  go mod edit -require "$module@v$version"
  # The controller's own replaces, except local paths (its ./api).
  local r
  while IFS= read -r r; do go mod edit -replace "$r"; done < <(replaces_of "$gomod")
  for r in "$@"; do go mod edit -replace "$r"; done
  # No `go mod tidy`: it would resolve the tests' dependencies too, and some (helmtestserver) are not served.
  log "$name v$version: resolving modules and compiling"
  local start=$SECONDS
  go build -trimpath -ldflags "-s -w" -o "$out.partial" "$module" || die "go build of $name failed"
  mv "$out.partial" "$out"
  log "$name: built in $((SECONDS - start)) s ($(du -h "$out" | cut -f1))"
}

build source-controller "$FLUX_SOURCE_VERSION" "github.com/fluxcd/pkg/artifact=github.com/fluxcd/pkg/artifact@v0.18.0"
build kustomize-controller "$FLUX_KUSTOMIZE_VERSION"

# Flux's CRDs, as the controllers' modules ship them (config/crd/bases).
if [[ ! -f "$FLUX_CRDS/.complete" ]]; then
  mkdir -p "$FLUX_CRDS"
  modcache="$(go env GOMODCACHE)"
  for pair in "source-controller@v$FLUX_SOURCE_VERSION" "kustomize-controller@v$FLUX_KUSTOMIZE_VERSION"; do
    src="$modcache/github.com/fluxcd/$pair/config/crd/bases"
    [[ -d "$src" ]] || go mod download "github.com/fluxcd/$pair" >/dev/null
    [[ -d "$src" ]] || die "no CRDs at $src"
    install -m 0644 "$src"/*.yaml "$FLUX_CRDS/"
  done
  touch "$FLUX_CRDS/.complete"
  log "CRDs: $(ls "$FLUX_CRDS" | tr '\n' ' ')"
fi
echo "$FLUX_DIR"
