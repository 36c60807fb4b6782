#!/usr/bin/env bash
# Builds pulse-llamacpp, the CPU LLM server image (spec.llm.engine: llamacpp), with no registry and no Docker:
# the Debian-built Python base (hack/images/build-base-images.sh python) + a venv with the llama-cpp-python wheel
# that ensure-llamacpp.sh compiled (portable AVX2 build) and the server's locked dependencies + Pulse's server
# wrapper and serve.sh + the model file (SmolLM2-135M-Instruct Q4_1 from ensure-model.sh, or --model FILE),
# written as a docker-archive that containerd imports (and skopeo can push). Needs root (chroot).
#
#   hack/llm/build-llamacpp-image.sh [--image REF] [--out TAR] [--model FILE.gguf]
#     --image  image reference (default: pulse.image.registry/pulse-llamacpp:version of the parent pom)
#     --out    archive to write (default target/images/pulse-llamacpp.tar)
#     --model  the GGUF model to bake in as /models/model.gguf (default: SmolLM2-135M-Instruct Q4_1)
#
# The pod runs /opt/pulse/serve.sh --host 0.0.0.0 --port 8000 --threads N --base-name NAME [--adapter NAME=FILE]
# as uid 65532 with a read-only root (it writes only its config file, to /tmp). Not part of ./mvnw verify: the
# image is ~250 MB and needs root; the e2e suite does not run an LLM yet.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
CACHE="${PULSE_IMAGE_CACHE:-$HOME/.cache/pulse/images}"
pom_value() { sed -n "s|^ *<$1>\(.*\)</$1>.*|\1|p" "$repo/pom.xml" | sed -n 1p; }
image="$(pom_value pulse.image.registry)/pulse-llamacpp:$(pom_value version)"
out="$repo/target/images/pulse-llamacpp.tar"
model=""
while (($#)); do
  case "$1" in
    --image) image="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--image REF] [--out TAR] [--model FILE.gguf]" >&2; exit 2 ;;
  esac
done
log() { echo "[build-llamacpp-image] $*" >&2; }
started=$SECONDS

engine_venv="$("$here/ensure-llamacpp.sh")"
wheel="$(ls "$(dirname "$engine_venv")"/wheels/llama_cpp_python-*.whl)"
[ -n "$model" ] || model="$("$here/ensure-model.sh")"
base_tar="$(readlink -f "$("$repo/hack/images/build-base-images.sh" python | tail -1)")"
base_key="$(basename "$base_tar" .tar)"
venv_key="$({ sha256sum "$wheel" | cut -d' ' -f1; cat "$here/server-lock.txt"; echo "$base_key"; } | sha256sum | cut -c1-12)"
venv_dir="$CACHE/pulse-llamacpp-venv-$venv_key"

work="$(mktemp -d "$CACHE/work-llamacpp.XXXXXX")"
cleanup() {
  umount "$work/bundle/rootfs/proc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -f "$venv_dir/.complete" ]]; then
  log "venv $venv_key: the llama.cpp wheel and the server's locked requirements in the base's Python"
  skopeo copy --quiet "docker-archive:$base_tar" "oci:$work/base:base"
  umoci unpack --image "$work/base:base" "$work/bundle" >/dev/null
  root="$work/bundle/rootfs"
  cp "$wheel" "$root/tmp/"
  grep -v '^#' "$here/server-lock.txt" >"$root/tmp/requirements.txt"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  cp "${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}" "$root/tmp/build-ca.pem"
  mount -t proc proc "$root/proc"
  chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CERT=/tmp/build-ca.pem PIP_DEFAULT_TIMEOUT=180 \
    ${HTTPS_PROXY:+HTTPS_PROXY=$HTTPS_PROXY} ${https_proxy:+https_proxy=$https_proxy} \
    ${PIP_INDEX_URL:+PIP_INDEX_URL=$PIP_INDEX_URL} sh -c '
    set -e
    python3 -m venv /opt/venv
    /opt/venv/bin/pip install --quiet --no-cache-dir --no-deps /tmp/llama_cpp_python-*.whl -r /tmp/requirements.txt
    /opt/venv/bin/pip check' >&2
  umount "$root/proc"
  # The wheel's libraries link OpenMP (libgomp.so.1), which the Python base lacks; they look beside themselves
  # first ($ORIGIN), so the build machine's copy (Debian bookworm's libgomp1, as the base) goes there.
  lib="$(ls -d "$root"/opt/venv/lib/python3*/site-packages/llama_cpp/lib)"
  cp "$(ldconfig -p | awk '/libgomp.so.1 .*x86-64/ {print $NF; exit}')" "$lib/libgomp.so.1"
  find "$root/opt/venv" -name __pycache__ -type d -prune -exec rm -rf {} +
  rm -rf "${venv_dir:?}.tmp"
  mkdir -p "$venv_dir.tmp/opt"
  mv "$root/opt/venv" "$venv_dir.tmp/opt/venv"
  touch "$venv_dir.tmp/.complete"
  rm -rf "$venv_dir"
  mv "$venv_dir.tmp" "$venv_dir"
  find "$CACHE" -maxdepth 1 -name 'pulse-llamacpp-venv-*' ! -name "$(basename "$venv_dir")" -exec rm -rf {} +
fi

log "assembling $image"
rm -rf "$work/base" "$work/bundle"
skopeo copy --quiet "docker-archive:$base_tar" "oci:$work/image:llamacpp"
umoci insert --image "$work/image:llamacpp" --history.created_by "pulse llama.cpp venv $venv_key" \
  "$venv_dir/opt/venv" /opt/venv >&2
mkdir -p "$work/app" "$work/models"
cp "$here/serve.sh" "$repo/llm-runtime/llamacpp/pulse_llamacpp_server.py" "$work/app/"
chmod 0755 "$work/app/serve.sh"
umoci insert --image "$work/image:llamacpp" --history.created_by "pulse llama.cpp server wrapper" "$work/app" /opt/pulse >&2
ln "$model" "$work/models/model.gguf" 2>/dev/null || cp "$model" "$work/models/model.gguf"
umoci insert --image "$work/image:llamacpp" --history.created_by "model $(basename "$model")" "$work/models" /models >&2
umoci config --image "$work/image:llamacpp" --config.user 65532:65532 --config.workingdir /tmp \
  --config.entrypoint /opt/pulse/serve.sh --config.cmd --host --config.cmd 0.0.0.0 \
  --config.env PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env HOME=/tmp --config.env PYTHONDONTWRITEBYTECODE=1 --config.env PYTHONUNBUFFERED=1 \
  --config.env PULSE_LLAMACPP_VENV=/opt/venv --config.env PULSE_LLM_MODEL_FILE=/models/model.gguf \
  --config.label "org.opencontainers.image.title=pulse-llamacpp" \
  --config.label "org.opencontainers.image.version=${image##*:}" \
  --config.label "dev.pulse.llamacpp.model=$(basename "$model")" >&2
mkdir -p "$(dirname "$out")"
rm -f "$out.tmp"
skopeo copy --quiet "oci:$work/image:llamacpp" "docker-archive:$out.tmp:$image"
mv -f "$out.tmp" "$out"
log "wrote $out ($(du -h "$out" | cut -f1)) in $((SECONDS - started)) s"
