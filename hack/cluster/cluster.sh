#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, with no registry and no Docker:
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy (iptables mode),
#   containerd + runc + the CNI bridge plugins (Debian packages), CoreDNS as a Deployment in kube-system.
#
#   cluster.sh up                  start it (tears a leftover down first); waits until the node is Ready and
#                                  CoreDNS is available; prints the admin kubeconfig's path on its last line
#   cluster.sh down                stop everything it started and leave the host as it was before `up`
#                                  (safe at any time: nothing running, half started, after a crash)
#   cluster.sh status              what runs, node and kube-system pods
#   cluster.sh load IMAGE.tar...   import docker/OCI image archives into containerd (pods use them with
#                                  imagePullPolicy IfNotPresent or Never; nothing is ever pulled)
#   cluster.sh kubeconfig          print the admin kubeconfig's path (fails when the cluster is not up)
#   cluster.sh prepare             build/cache the binaries and install the Debian packages, start nothing
#   cluster.sh verify-clean FILE   compare the host with a snapshot taken by hack/cluster/check-clean.sh
#   cluster.sh preflight           the checks `up` makes before it starts anything (free disk), nothing else
#
# All traffic stays on the machine: the node's address is the gateway of its own bridge (cni0, 10.244.0.1),
# pods live on that bridge, Services are iptables rules, a PULSE-EGRESS rule drops anything forwarded from the
# bridge to another interface, and CoreDNS serves cluster.local only (no forward plugin).
# Every exit path that fails prints why and exits non-zero; a failed `up` runs `down` before it exits.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"

STATE="${PULSE_CLUSTER_STATE:-/var/lib/pulse-cluster}"   # everything persistent of one cluster (deleted by down)
RUN="${PULSE_CLUSTER_RUN:-/run/pulse-cluster}"             # containerd's state and socket (deleted by down)
PKI="$STATE/pki" LOGS="$STATE/logs" PIDS="$STATE/pids" BEFORE="$STATE/host-before" CONF="$STATE/config"
KUBECONFIG_FILE="$STATE/admin.kubeconfig"
CONTAINERD_SOCK="$RUN/containerd.sock"
NODE_NAME="pulse-node"
BRIDGE="cni0"
NODE_IP="10.244.0.1"            # gateway of the pod bridge: the API server and the kubelet serve here only
POD_CIDR="10.244.0.0/16"
SERVICE_CIDR="10.96.0.0/16"
API_SERVICE_IP="10.96.0.1"
DNS_SERVICE_IP="10.96.0.10"
ETCD_CLIENT_PORT=23790 ETCD_PEER_PORT=23800   # not etcd's defaults: API-server-only tests may run beside us
API_PORT=6443
UP_TIMEOUT="${PULSE_CLUSTER_UP_TIMEOUT:-600}"  # seconds for the whole `up` after the binaries exist
# The kubelet's hard-eviction threshold on the disk (nodefs and imagefs: the kubelet's root dir and containerd's
# root both live under $STATE), in percent of the file system; below it the node is tainted DiskPressure.
EVICTION_DISK_PERCENT=2
# `up` refuses to start unless the disk has this much free above that threshold: the images Pulse loads (~2 GB
# archived, about as much again unpacked), the Spark checkpoints, pod logs and containerd's snapshots.
DISK_MARGIN_GB="${PULSE_CLUSTER_DISK_MARGIN_GB:-5}"
# Packages `up` installs when missing (Debian names).
PACKAGES=(containerd runc iptables conntrack containernetworking-plugins nftables openssl curl iproute2)
CNI_BIN_DIR="/usr/lib/cni"
# Host paths the components may create outside STATE/RUN (libcni's cache, netns mounts, the kubelet's
# hard-wired log links, shim sockets): removed by `down` when they did not exist before `up`.
HOST_PATHS=(/var/lib/cni /run/netns /var/log/pods /var/log/containers /run/containerd /etc/cni /opt/cni
            /var/lib/kubelet /etc/kubernetes /var/run/kubernetes /usr/libexec/kubernetes /var/lib/containerd /opt/containerd)
# Kernel settings the kubelet, kube-proxy and this script may change: recorded before `up`, restored by `down`.
SYSCTLS=(kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys
         kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.ipv4.ip_forward
         net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv6.conf.all.forwarding)
# Stop order for `down` (reverse of start; the pods' processes and containerd's shims are handled between).
COMPONENTS=(kube-proxy kubelet kube-scheduler kube-controller-manager containerd kube-apiserver etcd)

log() { echo "[cluster] $(date +%H:%M:%S) $*" >&2; }
die() { echo "[cluster] ERROR: $*" >&2; exit 1; }
need_root() { [[ $EUID -eq 0 ]] || die "cluster.sh $1 needs root (it runs containerd, the kubelet and iptables)"; }
kubectl() { "$NODE_DIR/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }
ctr_k8s() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }

# ---------------------------------------------------------------------------------------------------------
# processes
# Starts a component in its own session (so a caller that kills its process group does not take the cluster
# with it) with `exec`, so the recorded PID is the component's own. Output goes to LOGS/<name>.log.
start_proc() {
  local name="$1" bin="$2"; shift 2
  ( exec setsid "$bin" "$@" </dev/null >>"$LOGS/$name.log" 2>&1 9<&- ) &
  local pid=$! exe i
  exe="$(readlink -f "$bin")"
  echo "$pid $exe" > "$PIDS/$name.pid"
  # Until setsid has exec'd the component, the PID runs setsid: wait for the component itself.
  for ((i = 0; i < 100; i++)); do
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$exe" ]] && break
    [[ -d /proc/$pid ]] || break
    sleep 0.05
  done
  log "started $name (pid $pid, log $LOGS/$name.log)"
}

# PID of a component when it runs (its pid file names a live process running the recorded binary).
proc_pid() {
  local f="$PIDS/$1.pid" pid exe
  [[ -f "$f" ]] || return 1
  read -r pid exe < "$f" || return 1
  [[ -n "$pid" && -d "/proc/$pid" && "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$exe" ]] || return 1
  echo "$pid"
}

# Sends TERM, waits up to $2 seconds, then KILL; waits until the PIDs are gone.
kill_pids() {
  local grace="$1"; shift
  local pids=("$@") p i
  [[ ${#pids[@]} -gt 0 ]] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    local alive=0; for p in "${pids[@]}"; do [[ -d /proc/$p ]] && alive=1; done
    [[ $alive == 0 ]] && return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    local alive=0; for p in "${pids[@]}"; do [[ -d /proc/$p && "$(awk '{print $3}' /proc/$p/stat 2>/dev/null)" != Z ]] && alive=1; done
    [[ $alive == 0 ]] && return 0
    sleep 0.1
  done
  log "warning: still alive after KILL: ${pids[*]}"
}

# Stops the named components together (TERM, then KILL after 10 s) and forgets their PIDs.
stop_components() {
  local c pid pids=() names=()
  for c in "$@"; do
    if pid="$(proc_pid "$c")"; then pids+=("$pid"); names+=("$c($pid)"); fi
  done
  if [[ ${#pids[@]} -gt 0 ]]; then
    log "stopping ${names[*]}"
    kill_pids 10 "${pids[@]}"
  fi
  for c in "$@"; do rm -f "$PIDS/$c.pid"; done
}

# Every process in the kubelet's pod cgroups (the pods' containers, pause included), in every v1 hierarchy.
pod_pids() {
  local d
  for d in /sys/fs/cgroup/*/kubepods; do
    [[ -d "$d" ]] && find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -un
}

# containerd's shims for our containerd: they name its socket in their arguments.
shim_pids() {
  local d cmd
  for d in /proc/[0-9]*; do
    cmd="$(tr '\0' ' ' 2>/dev/null < "$d/cmdline")" || continue
    [[ "$cmd" == *containerd-shim* && "$cmd" == *"-address $CONTAINERD_SOCK "* ]] && echo "${d#/proc/}"
  done
  return 0
}

# Mount points under our directories and the CNI network namespaces containerd bind-mounted in /run/netns.
our_mounts() {
  awk '{print $2}' /proc/self/mounts | while read -r m; do
    case "$m" in
      "$STATE"|"$STATE"/*|"$RUN"|"$RUN"/*) echo "$m" ;;
      /run/netns/cni-*|/var/run/netns/cni-*) grep -qxF "$m" "$BEFORE/netns" 2>/dev/null || echo "$m" ;;
    esac
  done | sort -r
}

# ---------------------------------------------------------------------------------------------------------
# host snapshot (what `down` restores)
record_host() {
  mkdir -p "$BEFORE"
  local k v
  : > "$BEFORE/sysctl"
  for k in "${SYSCTLS[@]}"; do v="$(sysctl -n "$k" 2>/dev/null)" && echo "$k=$v" >> "$BEFORE/sysctl"; done
  for k in /proc/sys/net/netfilter/nf_conntrack_*; do
    [[ -w "$k" ]] && echo "$(echo "${k#/proc/sys/}" | tr / .)=$(cat "$k")" >> "$BEFORE/sysctl"
  done
  [[ -r /sys/module/nf_conntrack/parameters/hashsize ]] && cat /sys/module/nf_conntrack/parameters/hashsize > "$BEFORE/hashsize"
  iptables-save 2>/dev/null | grep -v '^#' > "$BEFORE/iptables" || true
  ip6tables-save 2>/dev/null | grep -v '^#' > "$BEFORE/ip6tables" || true
  if command -v nft >/dev/null; then nft list tables 2>/dev/null > "$BEFORE/nft-tables" || true; else : > "$BEFORE/nft-tables"; fi
  : > "$BEFORE/paths"
  for k in "${HOST_PATHS[@]}"; do [[ -e "$k" ]] && echo "$k" >> "$BEFORE/paths"; done
  ls -d /sys/fs/cgroup/*/kubepods 2>/dev/null > "$BEFORE/cgroups" || true
  ls -d /run/netns/* 2>/dev/null > "$BEFORE/netns" || true
}

restore_sysctls() {
  [[ -f "$BEFORE/sysctl" ]] || return 0
  local line k v now
  while IFS= read -r line; do
    k="${line%%=*}" v="${line#*=}"
    now="$(sysctl -n "$k" 2>/dev/null)" || continue
    if [[ "$now" != "$v" ]]; then
      sysctl -q -w "$k=$v" >/dev/null 2>&1 && log "restored $k=$v (was $now)" || log "warning: could not restore $k=$v"
    fi
  done < "$BEFORE/sysctl"
  if [[ -f "$BEFORE/hashsize" && -w /sys/module/nf_conntrack/parameters/hashsize ]]; then
    [[ "$(cat /sys/module/nf_conntrack/parameters/hashsize)" == "$(cat "$BEFORE/hashsize")" ]] \
      || cat "$BEFORE/hashsize" > /sys/module/nf_conntrack/parameters/hashsize || true
  fi
}

# Removes, in one iptables-restore transaction per family, every chain named KUBE-*, CNI-* or PULSE-* that was
# not there before `up`, and every rule of a pre-existing chain that jumps to one of them and was not there
# before. Rules and chains that existed before `up` are left alone.
clean_iptables() {
  local family="$1" before="$BEFORE/$1" script
  command -v "$family-save" >/dev/null || return 0
  [[ -f "$before" ]] || before=/dev/null
  script="$("$family-save" 2>/dev/null | grep -v '^#' | awk -v before="$before" '
    BEGIN {
      while ((getline l < before) > 0) {
        if (l ~ /^\*/) bt = substr(l, 2)
        else if (l ~ /^:/) { split(l, a, " "); oldchain[bt SUBSEP substr(a[1], 2)] = 1 }
        else if (l ~ /^-A /) oldrule[bt SUBSEP l] = 1
      }
    }
    /^\*/ { t = substr($0, 2); order[++nt] = t; next }
    /^:/ {
      c = substr($1, 2)
      if (!((t SUBSEP c) in oldchain) && c ~ /^(KUBE-|CNI-|PULSE-)/) { isnew[t SUBSEP c] = 1; newc[t] = newc[t] " " c }
      next
    }
    /^-A / { nr[t]++; rule[t, nr[t]] = $0; next }
    END {
      for (i = 1; i <= nt; i++) {
        t = order[i]; out = ""
        for (j = 1; j <= nr[t]; j++) {
          r = rule[t, j]; split(r, f, " ")
          if ((t SUBSEP f[2]) in isnew) continue            # flushed with its chain
          if ((t SUBSEP r) in oldrule) continue             # was there before up
          target = ""; n = split(r, w, " "); for (k = 1; k < n; k++) if (w[k] == "-j" || w[k] == "-g") target = w[k + 1]
          if ((t SUBSEP target) in isnew) out = out "-D " substr(r, 4) "\n"
        }
        m = split(newc[t], cs, " ")
        for (k = 1; k <= m; k++) out = out "-F " cs[k] "\n"
        for (k = 1; k <= m; k++) out = out "-X " cs[k] "\n"
        if (out != "") printf "*%s\n%sCOMMIT\n", t, out
      }
    }')"
  [[ -n "$script" ]] || return 0
  echo "$script" | "$family-restore" --noflush 2>&1 | sed "s/^/[cluster] $family-restore: /" >&2 || log "warning: $family cleanup reported an error"
}

# With the nftables backend, iptables creates its tables on first use; one that did not exist before `up` and
# is empty again (only built-in chains, policy ACCEPT, no rules) is deleted, as is a new kube-proxy table.
clean_nft_tables() {
  command -v nft >/dev/null || return 0
  local fam tab line
  nft list tables 2>/dev/null | while read -r _ fam tab; do
    line="table $fam $tab"
    grep -qxF "$line" "$BEFORE/nft-tables" 2>/dev/null && continue
    case "$tab" in
      kube-proxy) nft delete table "$fam" "$tab" 2>/dev/null || true; continue ;;
      filter|nat|mangle|raw|security) ;;
      *) continue ;;
    esac
    local cmd; case "$fam" in ip) cmd=iptables ;; ip6) cmd=ip6tables ;; *) continue ;; esac
    if ! "$cmd-save" -t "$tab" 2>/dev/null | grep -v '^#' | grep -qE '^-A |^:[^ ]+ -( |$)|^:[^ ]+ (DROP|REJECT)'; then
      nft delete table "$fam" "$tab" 2>/dev/null || log "warning: could not delete nft table $fam $tab"
    fi
  done
}

# ---------------------------------------------------------------------------------------------------------
# down
cluster_down() {
  need_root down
  local leftovers=0
  [[ -d "$STATE" || -d "$RUN" ]] && leftovers=1
  ip link show "$BRIDGE" >/dev/null 2>&1 && leftovers=1
  if [[ $leftovers == 0 && -z "$(pod_pids)" && -z "$(shim_pids)" ]]; then
    log "down: nothing to do (no cluster state, no bridge, no pods)"
    return 0
  fi
  log "down: stopping the cluster"
  # Flux's controllers (hack/flux/flux.sh) run as host processes against this cluster: they go first, whoever
  # started them (a killed test JVM cannot stop them itself).
  "$ROOT/hack/flux/flux.sh" down || log "down: hack/flux/flux.sh down failed; continuing"
  if [[ -n "${PULSE_CLUSTER_KEEP_LOGS:-}" && -d "$LOGS" ]]; then
    mkdir -p "$PULSE_CLUSTER_KEEP_LOGS" && cp -r "$LOGS/." "$PULSE_CLUSTER_KEEP_LOGS/" && log "logs kept in $PULSE_CLUSTER_KEEP_LOGS"
  fi
  # The kubelet first, so that it starts nothing new; then the pods' processes, the shims and containerd.
  stop_components kube-proxy kubelet kube-scheduler kube-controller-manager
  local i pids
  for ((i = 0; i < 50; i++)); do
    mapfile -t pids < <(pod_pids)
    [[ ${#pids[@]} -eq 0 ]] && break
    [[ $i == 0 ]] && log "killing ${#pids[@]} pod processes"
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 0.2
  done
  mapfile -t pids < <(shim_pids)
  [[ ${#pids[@]} -gt 0 ]] && { log "stopping ${#pids[@]} containerd shims"; kill_pids 5 "${pids[@]}"; }
  stop_components containerd
  stop_components kube-apiserver
  stop_components etcd

  # Kube-proxy's own cleanup of its rules, then what the kubelet, the CNI plugins and this script added.
  if [[ -x "$NODE_DIR/kube-proxy" ]] && command -v iptables >/dev/null; then
    "$NODE_DIR/kube-proxy" --cleanup --v=0 >/dev/null 2>&1 || true
  fi
  if command -v iptables >/dev/null; then
    clean_iptables iptables
    clean_iptables ip6tables
    clean_nft_tables
  fi

  # Mounts: the pods' volumes, rootfs overlays and shm under STATE/RUN, the network namespaces.
  local m tries
  for ((tries = 0; tries < 5; tries++)); do
    mapfile -t pids < <(our_mounts)
    [[ ${#pids[@]} -eq 0 ]] && break
    for m in "${pids[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  done
  [[ -n "$(our_mounts)" ]] && log "warning: still mounted: $(our_mounts | tr '\n' ' ')"
  for m in /run/netns/cni-*; do
    [[ -e "$m" ]] || continue
    grep -qxF "$m" "$BEFORE/netns" 2>/dev/null || rm -f "$m"
  done

  # Network: the veths go with their namespaces; then the bridge.
  for ((i = 0; i < 30; i++)); do
    [[ -z "$(ip -o link show master "$BRIDGE" 2>/dev/null)" ]] && break
    if [[ $i == 10 ]]; then
      ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | while read -r v; do ip link del "$v" 2>/dev/null || true; done
    fi
    sleep 0.2
  done
  ip link show "$BRIDGE" >/dev/null 2>&1 && { ip link del "$BRIDGE" && log "removed bridge $BRIDGE"; }
  if command -v conntrack >/dev/null; then
    conntrack -D -s "$POD_CIDR" >/dev/null 2>&1 || true
    conntrack -D -d "$SERVICE_CIDR" >/dev/null 2>&1 || true
  fi

  # Cgroups the kubelet created (deepest first), then kernel settings, host paths, our directories.
  local d
  for d in /sys/fs/cgroup/*/kubepods; do
    [[ -d "$d" ]] || continue
    grep -qxF "$d" "$BEFORE/cgroups" 2>/dev/null && continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || log "warning: could not remove cgroup $d"
  done
  restore_sysctls
  for d in "${HOST_PATHS[@]}"; do
    [[ -e "$d" ]] || continue
    grep -qxF "$d" "$BEFORE/paths" 2>/dev/null && continue
    [[ "$d" == /run/containerd && -S /run/containerd/containerd.sock ]] && continue  # a containerd of the host's own
    [[ -f "$BEFORE/paths" ]] || continue   # no record of the host before up: remove nothing outside our dirs
    rm -rf "$d"
  done
  [[ -d /var/lib/cni/results ]] && rm -f /var/lib/cni/results/pulse-* /var/lib/cni/results/cni-loopback-* 2>/dev/null
  rm -rf "$RUN" "$STATE" 2>/dev/null || { sleep 1; rm -rf "$RUN" "$STATE"; }
  [[ -e "$STATE" || -e "$RUN" ]] && die "down: could not remove $STATE or $RUN"
  log "down: done"
}

# ---------------------------------------------------------------------------------------------------------
# up
ensure_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them"
  log "installing ${missing[*]} with apt"
  apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
  for p in containerd runc iptables conntrack; do command -v "$p" >/dev/null || die "$p not found after installing"; done
  [[ -x "$CNI_BIN_DIR/bridge" ]] || die "CNI plugins not found in $CNI_BIN_DIR"
}

# RSA 2048, as kubeadm makes them: every client takes it (busybox's TLS, for one, has no ECDSA).
gen_key() { openssl genrsa -out "$1" 2048 2>/dev/null; }

# gen_cert NAME CN ORG(or -) EXT_USAGE SANS(or -)
gen_cert() {
  local name="$1" cn="$2" org="$3" usage="$4" sans="$5" subj="/CN=$2"
  [[ "$org" != - ]] && subj="/O=$org/CN=$cn"
  gen_key "$PKI/$name.key"
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    [[ "$sans" != - ]] && echo "subjectAltName=$sans"
  } > "$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 3650 \
    -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

# write_kubeconfig FILE CERT_NAME
write_kubeconfig() {
  cat > "$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: pulse
  cluster:
    server: https://$NODE_IP:$API_PORT
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(base64 -w0 < "$PKI/$2.crt")
    client-key-data: $(base64 -w0 < "$PKI/$2.key")
contexts:
- name: pulse
  context: {cluster: pulse, user: $2}
current-context: pulse
EOF
  chmod 600 "$1"
}

make_pki() {
  mkdir -p "$PKI" && chmod 700 "$PKI"
  gen_key "$PKI/ca.key"
  openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=pulse-cluster-ca" -days 3650 -out "$PKI/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  gen_cert apiserver kube-apiserver - serverAuth \
    "IP:$NODE_IP,IP:$API_SERVICE_IP,IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  gen_cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters clientAuth -
  gen_cert admin pulse-admin system:masters clientAuth -
  gen_cert controller-manager system:kube-controller-manager - clientAuth -
  gen_cert scheduler system:kube-scheduler - clientAuth -
  gen_cert kube-proxy system:kube-proxy - clientAuth -
  gen_cert kubelet "system:node:$NODE_NAME" system:nodes clientAuth -
  gen_cert kubelet-serving "system:node:$NODE_NAME" system:nodes serverAuth "IP:$NODE_IP,DNS:$NODE_NAME"
  gen_key "$PKI/sa.key" && openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  local k
  for k in admin controller-manager scheduler kube-proxy kubelet; do write_kubeconfig "$CONF/$k.kubeconfig" "$k"; done
  cp "$CONF/admin.kubeconfig" "$KUBECONFIG_FILE"
}

write_configs() {
  mkdir -p "$CONF/cni" "$STATE/cni/ipam" "$STATE/containerd/root" "$STATE/containerd/opt" "$RUN/containerd" "$STATE/kubelet/pki"
  cat > "$CONF/containerd.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$RUN/containerd/state"
oom_score = 0
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$RUN/containerd.sock.ttrpc"
[debug]
  level = "warn"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # This VM withholds CAP_SYS_RESOURCE: a negative oom_score_adj fails and every sandbox would die.
  restrict_oom_score_adj = true
  enable_selinux = false
  max_container_log_line_size = 16384
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$RUN/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$CONF/cni"
    max_conf_num = 1
EOF
  cat > "$CONF/cni/10-pulse.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "pulse",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$STATE/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$NODE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  : > "$CONF/resolv.conf"
  cat > "$CONF/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: [$DNS_SERVICE_IP]
# an empty file: pods get only the cluster's search path and name server, nothing of the host's
resolvConf: $CONF/resolv.conf
podLogsDir: $STATE/pod-logs
volumePluginDir: $STATE/kubelet/volume-plugins
rotateCertificates: false
serverTLSBootstrap: false
protectKernelDefaults: false
maxPods: 110
# thresholds low enough that a full-ish disk on a development machine does not taint the node
evictionHard: {memory.available: "100Mi", nodefs.available: "$EVICTION_DISK_PERCENT%", imagefs.available: "$EVICTION_DISK_PERCENT%", nodefs.inodesFree: "2%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
EOF
  cat > "$CONF/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $CONF/kube-proxy.kubeconfig}
mode: iptables
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
iptables: {localhostNodePorts: false, masqueradeAll: false, minSyncPeriod: 1s, syncPeriod: 30s}
# 0 leaves the kernel's conntrack table size and timeouts as they are
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

coredns_manifest() {
  cat <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects: [{kind: ServiceAccount, name: coredns, namespace: kube-system}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  # cluster.local and reverse look-ups only; no forward plugin: names outside the cluster are refused.
  Corefile: |
    cluster.local:1053 in-addr.arpa:1053 ip6.arpa:1053 {
        errors
        health :8080
        ready :8181
        kubernetes cluster.local in-addr.arpa ip6.arpa {
            pods insecure
            ttl 30
        }
        cache 30
        loadbalance
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  replicas: 1
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      serviceAccountName: coredns
      priorityClassName: system-cluster-critical
      tolerations: [{key: CriticalAddonsOnly, operator: Exists}]
      containers:
      - name: coredns
        image: $COREDNS_IMAGE
        imagePullPolicy: IfNotPresent
        args: ["-conf", "/etc/coredns/Corefile"]
        ports:
        - {name: dns, containerPort: 1053, protocol: UDP}
        - {name: dns-tcp, containerPort: 1053, protocol: TCP}
        resources:
          requests: {cpu: 50m, memory: 40Mi}
          limits: {memory: 170Mi}
        securityContext:
          runAsNonRoot: true
          runAsUser: 65532
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
        livenessProbe:
          httpGet: {path: /health, port: 8080}
          initialDelaySeconds: 10
          periodSeconds: 10
          failureThreshold: 5
        readinessProbe:
          httpGet: {path: /ready, port: 8181}
          periodSeconds: 2
        volumeMounts: [{name: config, mountPath: /etc/coredns, readOnly: true}]
      volumes: [{name: config, configMap: {name: coredns}}]
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  selector: {k8s-app: kube-dns}
  clusterIP: $DNS_SERVICE_IP
  ports:
  - {name: dns, port: 53, targetPort: 1053, protocol: UDP}
  - {name: dns-tcp, port: 53, targetPort: 1053, protocol: TCP}
EOF
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls every second, prints progress every 15 s.
wait_for() {
  local what="$1" limit="$2" start=$SECONDS next=15; shift 2
  log "waiting for $what (up to ${limit}s)"
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start >= limit )) && die "timed out after ${limit}s waiting for $what"
    (( SECONDS - start >= next )) && { log "  still waiting for $what ($((SECONDS - start))s)"; next=$((next + 15)); }
    check_alive
    sleep 1
  done
  log "$what: ok after $((SECONDS - start))s"
}

STARTED=()
check_alive() {
  local c
  for c in "${STARTED[@]}"; do
    proc_pid "$c" >/dev/null || { tail -n 20 "$LOGS/$c.log" >&2 2>/dev/null; die "$c exited (log: $LOGS/$c.log)"; }
  done
}

api_ready() { curl -sf -m 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "https://$NODE_IP:$API_PORT/readyz" | grep -qx ok; }
node_ready() { [[ "$(kubectl --request-timeout=10s get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" == True ]]; }
# Storage: no dynamic provisioner runs here, so `up` makes a default StorageClass with static hostPath volumes under
# $STATE/volumes (removed by down). Each serves ReadWriteOnce and ReadWriteMany: on one node, every pod that mounts
# it shares the directory. Mode 1777: pods run as non-root uids, and fsGroup does not apply to hostPath. Retain: a
# released volume is not reused (no recycler image here); $VOLUME_COUNT claims per cluster life is plenty for tests.
VOLUME_COUNT=8
storage_manifest() {
  cat <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: pulse-local
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
reclaimPolicy: Retain
EOF
  local i
  for i in $(seq 1 "$VOLUME_COUNT"); do
    cat <<EOF
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pulse-local-$i
  labels: {pulse.dev/cluster-volume: "true"}
spec:
  storageClassName: pulse-local
  capacity: {storage: 50Gi}
  accessModes: [ReadWriteOnce, ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: $STATE/volumes/pv-$i, type: Directory}
EOF
  done
}

make_volumes() {
  local i
  for i in $(seq 1 "$VOLUME_COUNT"); do
    mkdir -p "$STATE/volumes/pv-$i" && chmod 1777 "$STATE/volumes/pv-$i"
  done
  kubectl apply -f - >/dev/null <<<"$(storage_manifest)"
}

coredns_available() { [[ "$(kubectl --request-timeout=10s -n kube-system get deploy coredns -o 'jsonpath={.status.availableReplicas}')" == 1 ]]; }
dns_endpoints() { [[ -n "$(kubectl --request-timeout=10s -n kube-system get endpointslices -l kubernetes.io/service-name=kube-dns -o 'jsonpath={.items[*].endpoints[*].addresses[0]}')" ]]; }

UP_DONE=0
on_up_exit() {
  local rc=$?
  [[ $UP_DONE == 1 ]] && return 0
  echo "[cluster] up failed (exit $rc); logs of the components:" >&2
  local f
  for f in "$LOGS"/*.log; do [[ -f "$f" ]] && { echo "---- $f (last 15 lines)" >&2; tail -n 15 "$f" >&2; }; done
  echo "[cluster] tearing the half-started cluster down" >&2
  PULSE_CLUSTER_KEEP_LOGS="${PULSE_CLUSTER_KEEP_LOGS:-/tmp/pulse-cluster-failed-logs}" cluster_down || true
  exit $(( rc == 0 ? 1 : rc ))
}

# Pre-flight: a node whose disk is at the kubelet's hard-eviction threshold is tainted DiskPressure at once and no
# pod is ever scheduled (they stay Pending, which looks like a product failure). Refuse to start then, saying why.
# Reads statfs as the kubelet does (available to non-root / total blocks) on the file system that will hold $STATE.
check_disk() {
  local dir="$STATE" size avail gib=$((1024 * 1024 * 1024))
  while [[ ! -d "$dir" ]]; do dir="$(dirname "$dir")"; done
  read -r size avail < <(stat -f -c '%b %a %S' "$dir" | awk '{printf "%.0f %.0f\n", $1 * $3, $2 * $3}')
  local threshold=$(( size * EVICTION_DISK_PERCENT / 100 ))
  local need=$(( threshold + DISK_MARGIN_GB * gib ))
  local fmt='{printf "%.1f", $1 / 1073741824}'
  if (( avail < need )); then
    echo "[cluster] ERROR: not enough free disk to start the node: $(awk "$fmt" <<<"$avail") GiB free on $(df --output=target "$dir" | tail -1) (holding $STATE)." >&2
    echo "[cluster]   The kubelet's hard-eviction threshold (evictionHard nodefs.available/imagefs.available = $EVICTION_DISK_PERCENT% of $(awk "$fmt" <<<"$size") GiB) is $(awk "$fmt" <<<"$threshold") GiB: below it the node is tainted DiskPressure and no pod is ever scheduled." >&2
    echo "[cluster]   up needs $(awk "$fmt" <<<"$need") GiB free ($DISK_MARGIN_GB GiB above the threshold for images, checkpoints and logs; PULSE_CLUSTER_DISK_MARGIN_GB): free at least $(awk "$fmt" <<<"$(( need - avail ))") GiB more." >&2
    echo "[cluster]   What to delete: clones, worktrees and build folders under /tmp; other checkouts' target/ (target/images/*.tar are rebuilt by the build); old runs' /tmp/pulse-cluster-failed-logs; unused caches under ~/.cache/pulse (rebuilt on use). See what is big with: du -xh --max-depth=2 / 2>/dev/null | sort -h | tail -20" >&2
    return 1
  fi
  log "disk: $(awk "$fmt" <<<"$avail") GiB free, the kubelet evicts below $(awk "$fmt" <<<"$threshold") GiB"
}

cluster_up() {
  need_root up
  local t0=$SECONDS
  "$HERE/build-node-binaries.sh" >/dev/null || die "building the binaries failed (run hack/cluster/build-node-binaries.sh)"
  ensure_packages
  if [[ -d "$STATE" || -d "$RUN" ]] || ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "a previous cluster (or its leftovers) exists: tearing it down first"
    cluster_down
  fi
  ip link show "$BRIDGE" >/dev/null 2>&1 && die "a network interface named $BRIDGE exists and is not ours"
  check_disk || exit 1
  mkdir -p "$STATE" "$LOGS" "$PIDS" "$CONF" "$RUN"
  chmod 700 "$STATE"
  trap on_up_exit EXIT
  trap 'exit 143' TERM HUP
  trap 'exit 130' INT
  record_host
  local sec0=$SECONDS

  # The node's own bridge carries the node address: the API server and kubelet serve on it, pods attach to it.
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/${POD_CIDR#*/}" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  sysctl -q -w net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 >/dev/null
  # Nothing forwarded from the pod bridge leaves the machine.
  iptables -N PULSE-EGRESS
  iptables -A PULSE-EGRESS -i "$BRIDGE" ! -o "$BRIDGE" -m comment --comment "pulse cluster: pods reach nothing off this machine" -j DROP
  iptables -I FORWARD 1 -j PULSE-EGRESS

  make_pki
  write_configs

  start_proc etcd "$CONTROL_DIR/etcd" --name pulse --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "pulse=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn
  STARTED+=(etcd)
  wait_for etcd 60 curl -sf -m 5 "http://127.0.0.1:$ETCD_CLIENT_PORT/health"

  start_proc kube-apiserver "$CONTROL_DIR/kube-apiserver" \
    --advertise-address "$NODE_IP" --bind-address "$NODE_IP" --secure-port "$API_PORT" \
    --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --cert-dir "$STATE/apiserver-certs" --profiling=false --v=1
  STARTED+=(kube-apiserver)
  wait_for "kube-apiserver /readyz" 120 api_ready

  start_proc containerd "$(command -v containerd)" --config "$CONF/containerd.toml"
  STARTED+=(containerd)
  wait_for containerd 60 timeout 10 ctr --address "$CONTAINERD_SOCK" version
  log "importing the pause and CoreDNS images"
  ctr_k8s images import "$PAUSE_TAR" >/dev/null
  ctr_k8s images import "$COREDNS_TAR" >/dev/null

  start_proc kube-controller-manager "$NODE_DIR/kube-controller-manager" \
    --kubeconfig "$CONF/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$CONF/controller-manager.kubeconfig" --authorization-kubeconfig "$CONF/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --cluster-cidr "$POD_CIDR" --allocate-node-cidrs=false --v=1
  STARTED+=(kube-controller-manager)
  start_proc kube-scheduler "$NODE_DIR/kube-scheduler" --kubeconfig "$CONF/scheduler.kubeconfig" \
    --authentication-kubeconfig "$CONF/scheduler.kubeconfig" --authorization-kubeconfig "$CONF/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --v=1
  STARTED+=(kube-scheduler)
  start_proc kubelet "$NODE_DIR/kubelet" --config "$CONF/kubelet.yaml" --kubeconfig "$CONF/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" --cert-dir "$STATE/kubelet/pki" --node-ip "$NODE_IP" --hostname-override "$NODE_NAME" --v=1
  STARTED+=(kubelet)
  start_proc kube-proxy "$NODE_DIR/kube-proxy" --config "$CONF/kube-proxy.yaml" --v=1
  STARTED+=(kube-proxy)

  local left=$(( UP_TIMEOUT - (SECONDS - sec0) ))
  wait_for "node $NODE_NAME Ready" $(( left > 30 ? left : 30 )) node_ready
  kubectl apply -f - >/dev/null <<<"$(coredns_manifest)"
  make_volumes
  left=$(( UP_TIMEOUT - (SECONDS - sec0) ))
  wait_for "CoreDNS available" $(( left > 30 ? left : 30 )) coredns_available
  wait_for "kube-dns endpoints" 60 dns_endpoints
  UP_DONE=1
  trap - EXIT
  log "cluster up in $((SECONDS - t0))s (components $((SECONDS - sec0))s); kubectl: $NODE_DIR/kubectl --kubeconfig $KUBECONFIG_FILE"
  echo "$KUBECONFIG_FILE"
}

# ---------------------------------------------------------------------------------------------------------
cluster_status() {
  local c pid rc=0
  for c in etcd kube-apiserver containerd kube-controller-manager kube-scheduler kubelet kube-proxy; do
    if pid="$(proc_pid "$c")"; then
      printf '%-24s running (pid %s, rss %s MiB)\n' "$c" "$pid" "$(( $(awk '/VmRSS/{print $2}' /proc/$pid/status) / 1024 ))"
    else
      printf '%-24s not running\n' "$c"; rc=1
    fi
  done
  if [[ -f "$KUBECONFIG_FILE" ]] && proc_pid kube-apiserver >/dev/null; then
    echo; kubectl get nodes -o wide 2>&1 || rc=1
    echo; kubectl get pods -n kube-system -o wide 2>&1 || rc=1
    echo; echo "kubeconfig: $KUBECONFIG_FILE"
  else
    echo "cluster is not up"
  fi
  return $rc
}

cluster_load() {
  [[ $# -gt 0 ]] || die "usage: cluster.sh load IMAGE.tar..."
  proc_pid containerd >/dev/null || die "containerd is not running (cluster.sh up first)"
  local f
  for f in "$@"; do
    [[ -f "$f" ]] || die "no such image archive: $f"
    log "importing $f"
    ctr_k8s images import "$f" || die "importing $f failed"
  done
}

cmd="${1:-}"; shift || true
# One up/down/load at a time (a test's shutdown hook may call down while up still runs): a lock on this
# script file itself, so no lock file is left on the host. Components are started without this descriptor.
case "$cmd" in
  up|down|load)
    exec 9<"${BASH_SOURCE[0]}"
    flock -w 900 9 || die "another cluster.sh up/down/load has held the lock for 15 minutes"
    ;;
esac
case "$cmd" in
  up) cluster_up ;;
  prepare) need_root prepare; "$HERE/build-node-binaries.sh" >/dev/null; ensure_packages; log "binaries built, packages installed" ;;
  down) cluster_down ;;
  status) cluster_status ;;
  load) need_root load; cluster_load "$@" ;;
  kubeconfig)
    [[ -f "$KUBECONFIG_FILE" ]] || die "no cluster is up (no $KUBECONFIG_FILE); run cluster.sh up"
    echo "$KUBECONFIG_FILE" ;;
  verify-clean) exec "$HERE/check-clean.sh" compare "$@" ;;
  preflight) check_disk ;;
  -h|--help|help|"") sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; [[ -n "$cmd" ]] ;;
  *) die "unknown command '$cmd' (up|down|status|load|kubeconfig|prepare|preflight|verify-clean)" ;;
esac
