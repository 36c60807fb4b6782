#!/usr/bin/env bash
# Builds the real helm CLI from its Go module and caches it outside the repo, keyed by version:
#   ${PULSE_HELM_DIR:-$HOME/.cache/pulse/helm}/<version>/helm
# Prints the binary's path on its last line; a second run returns at once.
set -euo pipefail
HELM_VERSION="${PULSE_HELM_VERSION:-3.19.2}"
OUT="${PULSE_HELM_DIR:-$HOME/.cache/pulse/helm}/$HELM_VERSION"
if [[ -x "$OUT/helm" ]]; then
  echo "$OUT/helm"
  exit 0
fi
command -v go >/dev/null || { echo "build-helm: Go is required (https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$OUT"
echo "[build-helm] building helm v$HELM_VERSION from helm.sh/helm/v3 (a few minutes; cached afterwards)" >&2
GOFLAGS=-mod=mod CGO_ENABLED=0 GOBIN="$OUT.partial" go install -trimpath -ldflags "-s -w" "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
mv "$OUT.partial/helm" "$OUT/helm" && rmdir "$OUT.partial"
"$OUT/helm" version --short >&2
echo "$OUT/helm"
