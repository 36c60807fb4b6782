#!/usr/bin/env bash
# The cluster scripts' own end-to-end verification (run as root; takes a few minutes):
#   0. preflight-test.sh: `up` refuses a disk at the kubelet's eviction threshold, saying why;
#   1. prepare (binaries, packages), snapshot the host (check-clean.sh);
#   2. up (timed), smoke-test.sh, idle memory, down, compare with the snapshot;
#   3. up, kill -9 every component (the pods and shims keep running, as after a crash), up again (must tear
#      the leftovers down and start), smoke-test.sh, down, compare with the snapshot again.
# Prints figures as it goes; exits non-zero at the first failure (after a best-effort down).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
C="$HERE/cluster.sh"
SNAP="${1:-/tmp/pulse-cluster-host-before.txt}"
STATE="${PULSE_CLUSTER_STATE:-/var/lib/pulse-cluster}"
log() { echo "[verify] $(date +%H:%M:%S) $*" >&2; }
trap 'rc=$?; if [[ $rc != 0 ]]; then log "FAILED (exit $rc); tearing down"; "$C" down >/dev/null 2>&1 || true; fi' EXIT

cluster_rss_mib() { # RSS of the components, containerd's shims and every pod process
  local total=0 p
  for p in $(for d in /proc/[0-9]*; do
               c="$(tr '\0' ' ' 2>/dev/null < "$d/cmdline")" || continue
               { [[ "$c" == *"$STATE"* || "$c" == */run/pulse-cluster* ]] || grep -q kubepods "$d/cgroup" 2>/dev/null; } && echo "${d#/proc/}"
             done); do
    total=$(( total + $(awk '/VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0) ))
  done
  echo $(( total / 1024 ))
}

"$C" prepare
"$C" down
"$HERE/preflight-test.sh"
"$HERE/check-clean.sh" snapshot "$SNAP"

log "== round 1: up, smoke test, down"
t=$SECONDS; "$C" up >/dev/null; log "FIGURE up: $((SECONDS - t)) s"
"$HERE/smoke-test.sh"
sleep 20
log "FIGURE idle cluster RSS (components + shims + pods): $(cluster_rss_mib) MiB"
"$C" status >&2
t=$SECONDS; "$C" down; log "FIGURE down: $((SECONDS - t)) s"
"$HERE/check-clean.sh" compare "$SNAP"

log "== round 2: up, kill -9 every component, up again, smoke test, down"
"$C" up >/dev/null
pids=()
for f in "$STATE"/pids/*.pid; do read -r p _ < "$f"; pids+=("$p"); done
log "kill -9 ${pids[*]}"
kill -9 "${pids[@]}"
sleep 2
t=$SECONDS; "$C" up >/dev/null; log "FIGURE up after a crash (includes the teardown): $((SECONDS - t)) s"
"$HERE/smoke-test.sh"
"$C" down
"$HERE/check-clean.sh" compare "$SNAP"
log "all verification passed"
