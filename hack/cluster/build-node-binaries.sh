#!/usr/bin/env bash
# Builds everything the local single-node cluster (hack/cluster/cluster.sh) runs, from source modules only
# (no release downloads, no registry), cached outside the repo keyed by version (see versions.sh):
#   - kube-apiserver and etcd: hack/build-k8s-binaries.sh (called first; returns at once when cached);
#   - kubelet, kube-controller-manager, kube-scheduler, kube-proxy, kubectl: `go build` of k8s.io/kubernetes
#     in a scratch module that replaces each staging module with its published v0.X.Y tag (the same trick);
#   - CoreDNS: from github.com/coredns/coredns (a main with the plugins the Corefile uses), packed as a single-binary image;
#   - the pause image: the kubernetes module's build/pause/linux/pause.c, `gcc -Os -static`, single layer.
# Each piece is cached on its own (an interrupted run resumes); a run with everything present returns at once.
# Builds run one after the other: the machine's cores are shared.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"

log() { echo "[build-node-binaries] $(date +%H:%M:%S) $*" >&2; }
die() { echo "[build-node-binaries] ERROR: $*" >&2; exit 1; }

all_present() {
  [[ -x "$CONTROL_DIR/kube-apiserver" && -x "$CONTROL_DIR/etcd" && -f "$PAUSE_TAR" && -x "$COREDNS_DIR/coredns" && -f "$COREDNS_TAR" ]] || return 1
  local b; for b in "${NODE_BINARIES[@]}"; do [[ -x "$NODE_DIR/$b" ]] || return 1; done
}
if all_present; then
  echo "$NODE_DIR"; exit 0
fi

command -v go >/dev/null || die "Go is required (go1.26 or newer)"
command -v gcc >/dev/null || die "gcc (and glibc's static library, libc6-dev) is required for the pause binary"

log "kube-apiserver + etcd (hack/build-k8s-binaries.sh)"
"$ROOT/hack/build-k8s-binaries.sh" >/dev/null

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export GOFLAGS="-mod=mod" CGO_ENABLED=0
mkdir -p "$NODE_DIR" "$COREDNS_DIR"

# --- the scratch module for k8s.io/kubernetes ------------------------------------------------------
k8s_module() {
  [[ -f "$WORK/k8s/go.mod" ]] && return 0
  log "k8s.io/kubernetes v$K8S_VERSION: resolving the scratch module"
  mkdir -p "$WORK/k8s" && cd "$WORK/k8s"
  go mod init pulse.dev/k8s-node-binaries >/dev/null 2>&1
  local gomod staging="v0.${K8S_VERSION#1.}"
  gomod="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
  [[ -f "$gomod" ]] || die "could not download k8s.io/kubernetes@v$K8S_VERSION"
  {
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo "replace ("
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$gomod" | while read -r m; do
      echo "  $m => $m $staging"
    done
    echo ")"
  } >> go.mod
  {
    echo "//go:build tools"; echo; echo "package tools"; echo; echo "import ("
    local b; for b in "${NODE_BINARIES[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/$b\""; done
    echo ")"
  } > tools.go
  log "k8s.io/kubernetes: downloading modules"
  go mod tidy >/dev/null 2>&1 || die "go mod tidy failed in $WORK/k8s"
}

MINOR="${K8S_VERSION#1.}"; MINOR="${MINOR%%.*}"
LDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$MINOR -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=v$K8S_VERSION"
for b in "${NODE_BINARIES[@]}"; do
  [[ -x "$NODE_DIR/$b" ]] && { log "$b: cached"; continue; }
  k8s_module
  cd "$WORK/k8s"
  log "$b v$K8S_VERSION: compiling"
  start=$SECONDS
  go build -trimpath -ldflags "$LDFLAGS" -o "$NODE_DIR/$b.partial" "k8s.io/kubernetes/cmd/$b" || die "go build of $b failed"
  mv "$NODE_DIR/$b.partial" "$NODE_DIR/$b"
  log "$b: built in $((SECONDS - start)) s ($(du -h "$NODE_DIR/$b" | cut -f1))"
done

# --- pause --------------------------------------------------------------------------------------------
if [[ ! -f "$PAUSE_TAR" ]]; then
  pause_c="$(go env GOMODCACHE)/k8s.io/kubernetes@v$K8S_VERSION/build/pause/linux/pause.c"
  [[ -f "$pause_c" ]] || { go mod download "k8s.io/kubernetes@v$K8S_VERSION" >/dev/null 2>&1 || true; }
  [[ -f "$pause_c" ]] || die "$pause_c not found"
  log "pause $PAUSE_VERSION: gcc -Os -static $pause_c"
  mkdir -p "$WORK/pause-root"
  gcc -Os -static -Wall -DVERSION="v$PAUSE_VERSION" -o "$WORK/pause-root/pause" "$pause_c" || die "gcc failed (is libc6-dev installed?)"
  strip "$WORK/pause-root/pause"
  "$HERE/make-image.sh" "$PAUSE_IMAGE" "$WORK/pause-root" "$PAUSE_TAR" --entrypoint /pause --user 65535:65535
fi

# --- CoreDNS ------------------------------------------------------------------------------------------
if [[ ! -x "$COREDNS_DIR/coredns" ]]; then
  log "coredns v$COREDNS_VERSION: resolving github.com/coredns/coredns"
  mkdir -p "$WORK/coredns" && cd "$WORK/coredns"
  go mod init pulse.dev/coredns >/dev/null 2>&1
  cat > main.go <<'GO'
package main

// Only the plugins the cluster's Corefile (cluster.sh) uses, plus log for debugging. CoreDNS's own main imports
// core/plugin, every standard plugin, which compiles the AWS, Azure and GCP SDKs too: a cold build took 398 s
// that way and 80 s this way on 2 cores.
import (
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"

	"github.com/coredns/coredns/coremain"
)

func main() { coremain.Run() }
GO
  go get "github.com/coredns/coredns@v$COREDNS_VERSION" >/dev/null 2>&1 || die "go get github.com/coredns/coredns@v$COREDNS_VERSION failed"
  go mod tidy >/dev/null 2>&1 || die "go mod tidy failed for coredns"
  log "coredns: compiling"
  start=$SECONDS
  go build -trimpath -ldflags "-s -w" -o "$COREDNS_DIR/coredns.partial" . || die "go build of coredns failed"
  mv "$COREDNS_DIR/coredns.partial" "$COREDNS_DIR/coredns"
  log "coredns: built in $((SECONDS - start)) s ($(du -h "$COREDNS_DIR/coredns" | cut -f1))"
fi
if [[ ! -f "$COREDNS_TAR" ]]; then
  mkdir -p "$WORK/coredns-root"
  cp "$COREDNS_DIR/coredns" "$WORK/coredns-root/coredns"
  "$HERE/make-image.sh" "$COREDNS_IMAGE" "$WORK/coredns-root" "$COREDNS_TAR" --entrypoint /coredns --user 65532:65532
fi

all_present || die "something is missing after the build"
for b in "${NODE_BINARIES[@]}"; do
  case "$b" in kubectl) "$NODE_DIR/$b" version --client 2>/dev/null | sed -n 1p >&2 ;; *) "$NODE_DIR/$b" --version >&2 ;; esac
done
"$COREDNS_DIR/coredns" -version 2>&1 | sed -n 1p >&2
echo "$NODE_DIR"
