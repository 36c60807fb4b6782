#!/usr/bin/env bash
# Proves that the local cluster left the host as it found it.
#   check-clean.sh snapshot FILE   record the host's state (before `cluster.sh up`)
#   check-clean.sh compare FILE    compare the host with FILE (after `cluster.sh down`); exit 1 with a diff if
#                                  anything differs
# What is compared: iptables/ip6tables rules and chains (counters dropped), nftables tables, network links,
# addresses and routes, mounts, the kernel settings the kubelet/kube-proxy touch, cgroups (two levels), CNI
# network namespaces, the host paths the components may create, and the processes that belong to a cluster
# (its components, containerd and its shims, anything in the kubelet's pod cgroups, anything naming the
# cluster's directories). Processes of other work on the machine are not compared. On a machine where other
# work mounts file systems meanwhile, PULSE_CHECK_CLEAN_IGNORE_MOUNTS (an extended regex on the mount point,
# e.g. '^/tmp/') leaves those mounts out of both sides of the comparison.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${PULSE_CLUSTER_STATE:-/var/lib/pulse-cluster}"
RUN="${PULSE_CLUSTER_RUN:-/run/pulse-cluster}"
[[ $# -eq 2 && ( "$1" == snapshot || "$1" == compare ) ]] || { echo "usage: check-clean.sh snapshot|compare FILE" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "check-clean.sh needs root (iptables-save)" >&2; exit 2; }

section() { echo "== $1"; }
host_state() {
  local k
  section iptables; iptables-save 2>/dev/null | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//' || true
  section ip6tables; ip6tables-save 2>/dev/null | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//' || true
  if command -v iptables-legacy-save >/dev/null; then
    section iptables-legacy; iptables-legacy-save 2>/dev/null | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//' || true
  fi
  section nft-tables; command -v nft >/dev/null && { nft list tables 2>/dev/null | sort || true; }
  section links; ip -o link show | awk '{sub(/@.*/, "", $2); print $2, $3}'
  section addresses; ip -br addr | awk '{$2=""; print}'
  section routes; { ip -4 route show table all; ip -6 route show table all; } 2>/dev/null | grep -v ' expires ' | sort
  section mounts; awk -v ignore="${PULSE_CHECK_CLEAN_IGNORE_MOUNTS:-}" 'ignore == "" || $2 !~ ignore {print $1, $2, $3}' /proc/self/mounts | sort
  section sysctls
  for k in kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys \
           kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.ipv4.ip_forward net.ipv6.conf.all.forwarding \
           net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables; do
    echo "$k=$(sysctl -n "$k" 2>/dev/null || echo absent)"
  done
  for k in /proc/sys/net/netfilter/nf_conntrack_*; do
    [[ -e "$k" && "$k" != */nf_conntrack_count ]] && echo "${k#/proc/sys/}=$(cat "$k" 2>/dev/null)"
  done
  [[ -r /sys/module/nf_conntrack/parameters/hashsize ]] && echo "nf_conntrack.hashsize=$(cat /sys/module/nf_conntrack/parameters/hashsize)"
  section cgroups; find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d 2>/dev/null | sort
  section netns; ls -1 /run/netns 2>/dev/null || true
  section paths
  for k in "$STATE" "$RUN" /var/lib/cni /run/netns /var/log/pods /var/log/containers /run/containerd /etc/cni /opt/cni \
           /var/lib/kubelet /etc/kubernetes /var/run/kubernetes /usr/libexec/kubernetes /var/lib/containerd /opt/containerd; do
    [[ -e "$k" ]] && echo "$k"
  done
  section cluster-processes; cluster_processes
}

cluster_processes() {
  local d pid exe cmd base
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    exe="$(readlink "$d/exe" 2>/dev/null)" || continue
    cmd="$(tr '\0' ' ' 2>/dev/null < "$d/cmdline")" || continue
    base="${exe##*/}"
    if [[ "$base" =~ ^(containerd|containerd-shim.*|runc|kubelet|kube-proxy|kube-scheduler|kube-controller-manager|coredns|pause)$ ]] \
       || [[ "$cmd" == *"$STATE"* || "$cmd" == *"$RUN"* ]] || grep -q kubepods "$d/cgroup" 2>/dev/null; then
      echo "$base ${cmd:0:160}"
    fi
  done | sort
}

case "$1" in
  snapshot) host_state > "$2"; echo "check-clean: host state recorded in $2" >&2 ;;
  compare)
    [[ -f "$2" ]] || { echo "check-clean: no snapshot $2" >&2; exit 2; }
    if diff -u "$2" <(host_state) > "$2.diff"; then
      echo "check-clean: host is as before (iptables, ip6tables, nft, links, addresses, routes, mounts, sysctls, cgroups, netns, paths, processes)" >&2
      rm -f "$2.diff"
    else
      echo "check-clean: the host differs from $2:" >&2
      cat "$2.diff" >&2
      exit 1
    fi ;;
esac
