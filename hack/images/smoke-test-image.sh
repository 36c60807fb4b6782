#!/usr/bin/env bash
# Runs an image archive's entrypoint the way a pod with Pulse's security context would, without a container
# runtime: the layers unpacked (umoci), the root file system mounted read-only, a fresh tmpfs on /tmp (the pod's
# emptyDir), /proc, the image's environment, and uid/gid 65532 (chroot --userspec).
#
#   hack/images/smoke-test-image.sh IMAGE_TAR [ARG...]     ARGs replace the image's Cmd (as a pod's args do)
#   PULSE_SMOKE_MOUNTS="/var/lib/kafka/data ..."           extra writable tmpfs mounts (a pod's other emptyDirs)
#   PULSE_SMOKE_BINDS="HOST_DIR:PATH ..."                  read-only binds of host directories (ConfigMap volumes)
#   PULSE_SMOKE_ENV="KEY=VALUE ..."                        extra environment (a pod's env; one per line if a
#                                                          value has spaces)
#   PULSE_SMOKE_ENTRYPOINT="CMD ..."                       replace the image's entrypoint (a pod's command)
#   PULSE_SMOKE_USER=UID:GID                               run as another user (a pod's runAsUser/runAsGroup)
#   PULSE_SMOKE_TIMEOUT=SECONDS                            stop a server after this long (exit status 124)
#   PULSE_SMOKE_EXPECT=REGEX                               pass (0) if the output matches, fail (1) if not,
#                                                          whatever the exit status (for servers)
#
# Needs root, skopeo, umoci and python3. The unpacked root is cached next to nothing: it is removed on exit.
set -euo pipefail

tar="${1:?usage: $0 IMAGE_TAR [ARG...]}"; shift
work="$(mktemp -d /tmp/pulse-smoke.XXXXXX)"
root="$work/bundle/rootfs"
cleanup() {
  for m in $(awk -v r="$root" '$2 ~ "^"r { print $2 }' /proc/mounts | sort -r); do umount "$m" 2>/dev/null || umount -l "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

skopeo copy --quiet "docker-archive:$tar" "oci:$work/oci:image"
umoci unpack --image "$work/oci:image" "$work/bundle" >/dev/null
config="$(skopeo inspect --config "docker-archive:$tar")"
mapfile -t env < <(python3 -c 'import json,sys; [print(e) for e in json.load(sys.stdin)["config"].get("Env") or []]' <<<"$config")
mapfile -t entry < <(python3 -c 'import json,sys; [print(e) for e in json.load(sys.stdin)["config"].get("Entrypoint") or []]' <<<"$config")
mapfile -t cmd < <(python3 -c 'import json,sys; [print(e) for e in json.load(sys.stdin)["config"].get("Cmd") or []]' <<<"$config")
user="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["config"].get("User") or "0:0")' <<<"$config")"
workdir="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["config"].get("WorkingDir") or "/")' <<<"$config")"
(($#)) && cmd=("$@")
# shellcheck disable=SC2206
[[ -n "${PULSE_SMOKE_ENTRYPOINT:-}" ]] && entry=(${PULSE_SMOKE_ENTRYPOINT})
user="${PULSE_SMOKE_USER:-$user}"

# Mount points are made before the root turns read-only, as the container runtime makes a volume's mount point.
for dir in ${PULSE_SMOKE_MOUNTS:-}; do mkdir -p "$root$dir"; done
for bind in ${PULSE_SMOKE_BINDS:-}; do mkdir -p "$root${bind#*:}"; done
# The pod's view: read-only root, writable emptyDirs.
mount --bind "$root" "$root"
mount -o remount,bind,ro "$root"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount -t proc proc "$root/proc"
# The runtime puts the node's name service files over the image's (the kubelet writes a pod's /etc/hosts).
for f in /etc/hosts /etc/resolv.conf; do
  [[ -f "$root$f" ]] && mount --bind "$f" "$root$f"
done
for dir in ${PULSE_SMOKE_MOUNTS:-}; do
  mount -t tmpfs -o mode=1777 tmpfs "$root$dir"
done
# Read-only binds of host directories (a pod's ConfigMap volumes).
for bind in ${PULSE_SMOKE_BINDS:-}; do
  mount --bind "${bind%%:*}" "$root${bind#*:}"
  mount -o remount,bind,ro "$root${bind#*:}"
done
# One KEY=VALUE per line when there are several lines (values with spaces), else separated by spaces.
if [[ "${PULSE_SMOKE_ENV:-}" == *$'\n'* ]]; then
  mapfile -t extra_env <<<"$PULSE_SMOKE_ENV"
else
  # shellcheck disable=SC2206
  extra_env=(${PULSE_SMOKE_ENV:-})
fi
echo "[smoke-test-image] $(basename "$tar"): user $user, entrypoint ${entry[*]}, args ${cmd[*]:-(none)}" >&2
exec_env=(env -i "HOSTNAME=smoke-test" "${env[@]}" "${extra_env[@]}")
rc=0
log="$work/output.log"
limit=()
[[ -n "${PULSE_SMOKE_TIMEOUT:-}" ]] && limit=(timeout -k 10 "$PULSE_SMOKE_TIMEOUT")
set +e
"${limit[@]}" chroot --userspec="$user" "$root" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$workdir" \
  "${exec_env[@]}" "${entry[@]}" "${cmd[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
echo "[smoke-test-image] exit status $rc" >&2
if [[ -n "${PULSE_SMOKE_EXPECT:-}" ]]; then
  if grep -qE "$PULSE_SMOKE_EXPECT" "$log"; then
    echo "[smoke-test-image] PASS: output matches '$PULSE_SMOKE_EXPECT'" >&2
    exit 0
  fi
  echo "[smoke-test-image] FAIL: output does not match '$PULSE_SMOKE_EXPECT'" >&2
  exit 1
fi
exit "$rc"
