#!/usr/bin/env bash
# Builds the trainer image (llm-runtime/trainer, Python) with no registry and no Docker: the Debian-built Python base
# (build-base-images.sh python) + a venv with the trainer's locked requirements + the trainer's code, written as a
# docker-archive that containerd imports (and skopeo can push).
#
#   hack/images/build-trainer-image.sh [--image REF] [--out TAR]
#     --image  image reference (default: pulse.image.registry/pulse.image.trainer:version of the parent pom)
#     --out    archive to write (default target/images/pulse-trainer.tar)
#
# The CPU variant: requirements.lock without the GPU extras (requirements-gpu.txt: bitsandbytes) and without the
# test-only packages (pytest and its plugins). torch from PyPI is the CUDA build and does not import without its
# CUDA runtime wheels, so those stay: the image is large (~6 GB). The venv is cached outside the repo, keyed by the
# hash of what it installs + the Python base's key: ~/.cache/pulse/images/pulse-trainer-venv-<key>/. Needs root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
trainer="$repo/llm-runtime/trainer"
CACHE="${PULSE_IMAGE_CACHE:-$HOME/.cache/pulse/images}"
# Name and tag from the parent pom, the one place that names Pulse's images (pulse.image.*; tag = the version).
pom_value() { sed -n "s|^ *<$1>\(.*\)</$1>.*|\1|p" "$repo/pom.xml" | sed -n 1p; }
image="$(pom_value pulse.image.registry)/$(pom_value pulse.image.trainer):$(pom_value version)"
out="$repo/target/images/pulse-trainer.tar"
while (($#)); do
  case "$1" in
    --image) image="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--image REF] [--out TAR]" >&2; exit 2 ;;
  esac
done
log() { echo "[build-trainer-image] $*" >&2; }
started=$SECONDS

base_tar="$(readlink -f "$("$here/build-base-images.sh" python | tail -1)")"
base_key="$(basename "$base_tar" .tar)"
# Test-only packages stay out of the image (they are in the lock for the pytest suite).
requirements="$(grep -v -E '^(pytest|pluggy|iniconfig)==' "$trainer/requirements.lock")"
venv_key="$({ echo "$requirements"; echo "$base_key"; } | sha256sum | cut -c1-12)"
venv_dir="$CACHE/pulse-trainer-venv-$venv_key"

work="$(mktemp -d "$CACHE/work-trainer.XXXXXX")"
cleanup() {
  umount "$work/bundle/rootfs/proc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -f "$venv_dir/.complete" ]]; then
  log "venv $venv_key: installing the trainer's locked requirements in the base's Python (downloads torch + CUDA wheels, several GB)"
  skopeo copy --quiet "docker-archive:$base_tar" "oci:$work/base:base"
  umoci unpack --image "$work/base:base" "$work/bundle" >/dev/null
  root="$work/bundle/rootfs"
  echo "$requirements" >"$root/tmp/requirements.txt"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # pip trusts the build machine's CA bundle (it may hold a proxy's CA) for the download only: it lives in the
  # build root's /tmp, which is not part of the image (only /opt/venv is).
  host_ca="${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}"
  cp "$host_ca" "$root/tmp/build-ca.pem"
  mount -t proc proc "$root/proc"
  chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CERT=/tmp/build-ca.pem PIP_DEFAULT_TIMEOUT=180 \
    ${HTTPS_PROXY:+HTTPS_PROXY=$HTTPS_PROXY} ${https_proxy:+https_proxy=$https_proxy} \
    ${PIP_INDEX_URL:+PIP_INDEX_URL=$PIP_INDEX_URL} sh -c '
    set -e
    python3 -m venv /opt/venv
    /opt/venv/bin/pip install --quiet --no-cache-dir --no-deps -r /tmp/requirements.txt
    /opt/venv/bin/pip check
    /opt/venv/bin/python -c "import torch, transformers, peft; print(\"torch\", torch.__version__)"' >&2
  umount "$root/proc"
  # Byte code is written at run time into a read-only root otherwise (and PYTHONDONTWRITEBYTECODE is set): compile
  # nothing, ship nothing.
  find "$root/opt/venv" -name __pycache__ -type d -prune -exec rm -rf {} +
  rm -rf "${venv_dir:?}.tmp"
  mkdir -p "$venv_dir.tmp/opt"
  mv "$root/opt/venv" "$venv_dir.tmp/opt/venv"
  touch "$venv_dir.tmp/.complete"
  rm -rf "$venv_dir"
  mv "$venv_dir.tmp" "$venv_dir"
  find "$CACHE" -maxdepth 1 -name 'pulse-trainer-venv-*' ! -name "$(basename "$venv_dir")" \
    -exec echo "[build-trainer-image] removing stale {}" \; -exec rm -rf {} + >&2
  log "venv $venv_key: $(du -sh "$venv_dir" | cut -f1) in $((SECONDS - started)) s"
else
  log "venv $venv_key: cached ($venv_dir)"
fi

log "assembling $image"
rm -rf "$work/base" "$work/bundle"
skopeo copy --quiet "docker-archive:$base_tar" "oci:$work/image:trainer"
umoci insert --image "$work/image:trainer" --history.created_by "pulse trainer venv $venv_key" \
  "$venv_dir/opt/venv" /opt/venv >&2
mkdir -p "$work/app"
cp -r "$trainer/pulse_trainer" "$work/app/"
find "$work/app" -name __pycache__ -type d -prune -exec rm -rf {} +
umoci insert --image "$work/image:trainer" --history.created_by "pulse trainer code" "$work/app" /app >&2
# The root file system is read-only in the pod: caches go to /tmp (an emptyDir), as the Dockerfile says.
umoci config --image "$work/image:trainer" --config.user 65532:65532 --config.workingdir /app \
  --config.entrypoint /opt/venv/bin/python --config.entrypoint -m --config.entrypoint pulse_trainer.train \
  --config.cmd --help \
  --config.env PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env HOME=/tmp --config.env PYTHONPATH=/app --config.env PYTHONDONTWRITEBYTECODE=1 --config.env PYTHONUNBUFFERED=1 \
  --config.env HF_HOME=/tmp/hf --config.env TRITON_CACHE_DIR=/tmp/triton --config.env MPLCONFIGDIR=/tmp/matplotlib \
  --config.label "org.opencontainers.image.title=pulse-trainer" \
  --config.label "org.opencontainers.image.version=${image##*:}" \
  --config.label "dev.pulse.trainer.venv=$venv_key" >&2
mkdir -p "$(dirname "$out")"
rm -f "$out.tmp"
skopeo copy --quiet "oci:$work/image:trainer" "docker-archive:$out.tmp:$image"
mv -f "$out.tmp" "$out"
log "wrote $out ($(du -h "$out" | cut -f1)) in $((SECONDS - started)) s"
