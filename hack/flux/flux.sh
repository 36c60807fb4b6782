#!/usr/bin/env bash
# Flux's source-controller and kustomize-controller (built by build.sh) against the local cluster
# (hack/cluster/cluster.sh), as plain processes on this host rather than pods: two more pods (with the images
# they would need) would cost the 2-core node CPU and memory it needs for Spark, and the controllers need nothing
# of the node but the API server and each other. Their state lives under the cluster's state directory, and they
# are started through a link there, so hack/cluster/check-clean.sh counts one left running as a leftover; the
# e2e suite stops them before it takes the cluster down.
#
#   flux.sh up       install Flux's CRDs and the flux-system namespace, start both controllers (stops leftovers
#                    first), wait until they report healthy; prints the state directory on its last line
#   flux.sh down     stop both controllers and remove their state (safe at any time, also with no cluster)
#   flux.sh status   which controllers run
#
# Addresses, all on 127.0.0.1 (source-controller serves its artifacts to kustomize-controller over HTTP):
# artifacts :19090, metrics :19080/:19081, health :19440/:19441. The admin kubeconfig of the cluster is used.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"
# shellcheck source=../cluster/versions.sh
source "$ROOT/hack/cluster/versions.sh"

CLUSTER_STATE="${PULSE_CLUSTER_STATE:-/var/lib/pulse-cluster}"
STATE="$CLUSTER_STATE/flux"              # pids, logs, source-controller's artifact storage
KUBECONFIG_FILE="$CLUSTER_STATE/admin.kubeconfig"
NAMESPACE="flux-system"
STORAGE_ADDR="127.0.0.1:19090"
CONTROLLERS=(source-controller kustomize-controller)
declare -A METRICS=([source-controller]=127.0.0.1:19080 [kustomize-controller]=127.0.0.1:19081)
declare -A HEALTH=([source-controller]=127.0.0.1:19440 [kustomize-controller]=127.0.0.1:19441)

log() { echo "[flux] $(date +%H:%M:%S) $*" >&2; }
die() { echo "[flux] ERROR: $*" >&2; exit 1; }
kubectl() { "$NODE_DIR/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

# PIDs of our controllers: the processes whose executable is one of the binaries build.sh made (so a leftover
# is found even when the cluster's state directory, and the pid files in it, are already gone).
controller_pids() {
  local d exe want=() c
  for c in "${CONTROLLERS[@]}"; do want+=("$(readlink -f "$FLUX_DIR/$c")"); done
  for d in /proc/[0-9]*; do
    exe="$(readlink "$d/exe" 2>/dev/null)" || continue
    for c in "${want[@]}"; do [[ "$exe" == "$c" ]] && echo "${d#/proc/}"; done
  done
}

flux_down() {
  local pids i
  mapfile -t pids < <(controller_pids)
  if [[ ${#pids[@]} -gt 0 ]]; then
    log "stopping controllers (pids ${pids[*]})"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      mapfile -t pids < <(controller_pids)
      [[ ${#pids[@]} -eq 0 ]] && break
      sleep 0.1
    done
    [[ ${#pids[@]} -gt 0 ]] && { kill -KILL "${pids[@]}" 2>/dev/null || true; sleep 0.5; }
  fi
  [[ -z "$(controller_pids)" ]] || die "controllers still running: $(controller_pids | tr '\n' ' ')"
  rm -rf "$STATE"
}

# Started through a link under the cluster's state directory, so the command line names that directory and
# hack/cluster/check-clean.sh counts a controller that outlives the cluster as a leftover.
start_controller() {
  local name="$1"; shift
  ln -sfn "$FLUX_DIR/$name" "$STATE/bin/$name"
  ( exec setsid env KUBECONFIG="$KUBECONFIG_FILE" RUNTIME_NAMESPACE="$NAMESPACE" "$STATE/bin/$name" "$@" \
      </dev/null >>"$STATE/$name.log" 2>&1 ) &
  echo "$!" > "$STATE/$name.pid"
  log "started $name (pid $!, log $STATE/$name.log)"
}

flux_up() {
  [[ -f "$KUBECONFIG_FILE" ]] || die "no cluster is up (no $KUBECONFIG_FILE): hack/cluster/cluster.sh up first"
  [[ -x "$FLUX_DIR/source-controller" && -x "$FLUX_DIR/kustomize-controller" ]] || "$HERE/build.sh" >/dev/null
  flux_down
  mkdir -p "$STATE/storage" "$STATE/bin"
  log "Flux CRDs and namespace $NAMESPACE"
  kubectl apply --server-side --force-conflicts -f "$FLUX_CRDS" >/dev/null
  kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
  kubectl wait --for condition=established --timeout=120s -f "$FLUX_CRDS" >/dev/null
  local common=(--enable-leader-election=false --log-level=info --log-encoding=console --watch-all-namespaces=true)
  start_controller source-controller "${common[@]}" \
    --storage-path="$STATE/storage" --storage-addr="$STORAGE_ADDR" --storage-adv-addr="$STORAGE_ADDR" \
    --metrics-addr="${METRICS[source-controller]}" --health-addr="${HEALTH[source-controller]}"
  start_controller kustomize-controller "${common[@]}" \
    --metrics-addr="${METRICS[kustomize-controller]}" --health-addr="${HEALTH[kustomize-controller]}"
  local c i
  for c in "${CONTROLLERS[@]}"; do
    for ((i = 0; i < 120; i++)); do
      curl -fsS "http://${HEALTH[$c]}/readyz" >/dev/null 2>&1 && break
      kill -0 "$(cat "$STATE/$c.pid")" 2>/dev/null || { tail -30 "$STATE/$c.log" >&2; die "$c exited"; }
      sleep 0.5
    done
    ((i < 120)) || { tail -30 "$STATE/$c.log" >&2; die "$c not ready after 60 s"; }
  done
  log "source-controller and kustomize-controller ready"
  echo "$STATE"
}

flux_status() {
  local c pid
  for c in "${CONTROLLERS[@]}"; do
    pid="$(cat "$STATE/$c.pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then echo "$c running (pid $pid)"; else echo "$c not running"; fi
  done
}

[[ $EUID -eq 0 ]] || die "flux.sh needs root (the cluster's admin kubeconfig and state are root's)"
case "${1:-}" in
  up) flux_up ;;
  down) flux_down ;;
  status) flux_status ;;
  *) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
