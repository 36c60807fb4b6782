#!/usr/bin/env bash
# Builds the real kube-apiserver and etcd from their Go modules (no Docker, no release downloads) and
# caches them outside the repo, keyed by version, where fabric8 kube-api-test / our test harness finds them:
#   ${PULSE_K8S_BIN_DIR:-$HOME/.cache/pulse/k8s}/<k8s-version>-etcd<etcd-version>/{kube-apiserver,etcd}
# A second run with the binaries present returns at once. Prints the directory on its last line.
set -euo pipefail

K8S_VERSION="${PULSE_K8S_VERSION:-1.34.4}"      # k8s.io/kubernetes release
ETCD_VERSION="${PULSE_ETCD_VERSION:-3.6.4}"     # the etcd release that Kubernetes release is tested with
CACHE_ROOT="${PULSE_K8S_BIN_DIR:-$HOME/.cache/pulse/k8s}"
OUT="$CACHE_ROOT/${K8S_VERSION}-etcd${ETCD_VERSION}"

if [[ -x "$OUT/kube-apiserver" && -x "$OUT/etcd" ]]; then
  echo "$OUT"
  exit 0
fi
command -v go >/dev/null || { echo "build-k8s-binaries: Go is required (https://go.dev/dl)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT.partial"
export GOFLAGS="-mod=mod" CGO_ENABLED=0

log() { echo "[build-k8s-binaries] $*" >&2; }

# --- kube-apiserver -----------------------------------------------------------------------------------
# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging/...; a module
# of our own must replace each one with its published v0.<minor>.<patch> tag instead.
log "kube-apiserver v$K8S_VERSION: resolving k8s.io/kubernetes"
mkdir -p "$WORK/apiserver" && cd "$WORK/apiserver"
go mod init pulse.dev/k8s-binaries >/dev/null 2>&1
GOMOD_FILE="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
STAGING_VERSION="v0.${K8S_VERSION#1.}"
{
  echo "require k8s.io/kubernetes v$K8S_VERSION"
  echo "replace ("
  sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$GOMOD_FILE" | while read -r m; do
    echo "  $m => $m $STAGING_VERSION"
  done
  echo ")"
} >> go.mod
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
log "kube-apiserver: downloading modules"
go mod tidy >/dev/null 2>&1 || go get k8s.io/kubernetes/cmd/kube-apiserver
log "kube-apiserver: compiling (several minutes on 2 cores; cached afterwards)"
go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_VERSION#1.}" \
  -o "$OUT.partial/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver

# --- etcd ---------------------------------------------------------------------------------------------
# The etcd binary's main is only a call into etcdmain; its root module has replace directives, so
# `go install go.etcd.io/etcd/v3@...` cannot work. A two-line main of our own against the server module can.
log "etcd v$ETCD_VERSION: building"
mkdir -p "$WORK/etcd" && cd "$WORK/etcd"
go mod init pulse.dev/etcd >/dev/null 2>&1
cat > main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >/dev/null 2>&1
go mod tidy >/dev/null 2>&1
go build -trimpath -ldflags "-s -w" -o "$OUT.partial/etcd" .

"$OUT.partial/etcd" --version >&2
"$OUT.partial/kube-apiserver" --version >&2
rm -rf "$OUT" && mv "$OUT.partial" "$OUT"
echo "$OUT"
