#!/usr/bin/env bash
# Checks `cluster.sh up`'s disk pre-flight without starting anything (no root needed, < 1 s):
#   1. with a margin no disk has, `preflight` and `up` refuse, exit non-zero, and say why (the free space, the
#      kubelet's evictionHard threshold, what to delete), and `up` leaves no state behind;
#   2. with no margin, `preflight` passes on any disk above the threshold (skipped if this one is not).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
C="$HERE/cluster.sh"
STATE="${PULSE_CLUSTER_STATE:-/var/lib/pulse-cluster}"
fail() { echo "[preflight-test] FAILED: $*" >&2; exit 1; }

out="$(PULSE_CLUSTER_DISK_MARGIN_GB=1000000 "$C" preflight 2>&1)" && fail "preflight passed with a 1,000,000 GB margin"
for want in "not enough free disk" "GiB free on" "evictionHard" "DiskPressure" "What to delete" "PULSE_CLUSTER_DISK_MARGIN_GB"; do
  grep -qF "$want" <<<"$out" || fail "the refusal does not say '$want':"$'\n'"$out"
done
if [[ $EUID -eq 0 && ! -e "$STATE" ]]; then
  # `up` itself: refuses before it creates any state (the binaries are built first: a no-op once cached).
  out="$(PULSE_CLUSTER_DISK_MARGIN_GB=1000000 "$C" up 2>&1)" && fail "up started with a 1,000,000 GB margin"
  grep -qF "not enough free disk" <<<"$out" || fail "up failed, but not on the disk check:"$'\n'"$out"
  [[ ! -e "$STATE" ]] || fail "a refused up left $STATE behind"
fi
threshold_free="$(stat -f -c '%b %a' "$(df --output=target "$(dirname "$STATE")" | tail -1)" | awk '{print ($2 > $1 * 0.02) ? 1 : 0}')"
if [[ "$threshold_free" == 1 ]]; then
  PULSE_CLUSTER_DISK_MARGIN_GB=0 "$C" preflight 2>/dev/null || fail "preflight refused with no margin on a disk above the threshold"
else
  echo "[preflight-test] this disk is below the eviction threshold: the passing case is skipped" >&2
fi
echo "[preflight-test] passed" >&2
