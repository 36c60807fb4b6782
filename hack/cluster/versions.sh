# Sourced by the hack/cluster scripts: the versions of everything the local cluster runs and where the
# built binaries and images are cached (outside the repo, keyed by version). Override with the env vars.
K8S_VERSION="${PULSE_K8S_VERSION:-1.34.4}"          # k8s.io/kubernetes release (same as hack/build-k8s-binaries.sh)
ETCD_VERSION="${PULSE_ETCD_VERSION:-3.6.4}"         # etcd release (same as hack/build-k8s-binaries.sh)
COREDNS_VERSION="${PULSE_COREDNS_VERSION:-1.15.0}"  # github.com/coredns/coredns; its go.mod needs Go 1.26.0
PAUSE_VERSION="3.10.1"                              # TAG of build/pause/Makefile in kubernetes 1.34
K8S_CACHE_ROOT="${PULSE_K8S_BIN_DIR:-$HOME/.cache/pulse/k8s}"
# kube-apiserver + etcd, built by hack/build-k8s-binaries.sh
CONTROL_DIR="$K8S_CACHE_ROOT/${K8S_VERSION}-etcd${ETCD_VERSION}"
# kubelet, kube-controller-manager, kube-scheduler, kube-proxy, kubectl and the pause image
NODE_DIR="$K8S_CACHE_ROOT/${K8S_VERSION}-node"
COREDNS_DIR="$K8S_CACHE_ROOT/coredns-${COREDNS_VERSION}"
PAUSE_IMAGE="registry.k8s.io/pause:${PAUSE_VERSION}"
PAUSE_TAR="$NODE_DIR/pause-${PAUSE_VERSION}.tar"
COREDNS_IMAGE="localhost/pulse/coredns:${COREDNS_VERSION}"
COREDNS_TAR="$COREDNS_DIR/coredns-image.tar"
NODE_BINARIES=(kubelet kube-controller-manager kube-scheduler kube-proxy kubectl)
