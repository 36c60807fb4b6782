#!/usr/bin/env bash
# Prints the directory of a Python venv that runs llama.cpp's OpenAI-compatible server
# (`$dir/bin/python -m llama_cpp.server`), building it first when this version has none yet
# (logs go to stderr).
#
# PyPI serves llama-cpp-python only as a source package, so the first run compiles llama.cpp
# (CPU only: no CUDA, no Metal; ~5-10 min on 2 cores). The built wheel and the venv are cached
# outside the repo by version, so only the first run pays:
#   ${PULSE_LLAMACPP_CACHE:-~/.cache/pulse/llamacpp}/<version>/wheels/llama_cpp_python-*.whl
#   ${PULSE_LLAMACPP_CACHE:-~/.cache/pulse/llamacpp}/<version>/venv/      (wheel + server-lock.txt)
# The wheel is built for a portable x86-64 (AVX2/FMA/F16C, not -march=native), so the same wheel
# goes into the llama.cpp server image (hack/llm/build-llamacpp-image.sh) and runs on other hosts.
#
#   PULSE_PYTHON          interpreter (default python3, 3.11 as in the images)
#   PULSE_LLAMACPP_CACHE  cache root (default ${XDG_CACHE_HOME:-~/.cache}/pulse/llamacpp)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version=0.3.36
sdist_sha256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
python="${PULSE_PYTHON:-python3}"
root="${PULSE_LLAMACPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulse/llamacpp}/$version"
lock="$here/server-lock.txt"
# The venv also depends on the lock of the server's pure-Python dependencies.
venv_key="$({ cat "$lock"; "$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; } | sha256sum | cut -c1-12)"
venv="$root/venv-$venv_key"

build_wheel() {
  local started=$SECONDS work
  work="$(mktemp -d "$root/build.XXXXXX")"
  echo >&2 "ensure-llamacpp.sh: compiling llama-cpp-python $version (first run; several minutes)"
  "$python" -m pip download --quiet --no-deps --no-binary :all: "llama-cpp-python==$version" -d "$work" >&2
  echo "$sdist_sha256  $work/llama_cpp_python-$version.tar.gz" | sha256sum --check --quiet >&2
  # GGML_NATIVE=OFF: portable AVX2 build (llama.cpp then turns AVX/AVX2/FMA/F16C on), the same wheel
  # for this machine and the image. LLAVA_BUILD=OFF: no multimodal library (not used, ~1/4 of the build).
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF" \
  CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "$python" -m pip wheel --quiet --no-deps "$work/llama_cpp_python-$version.tar.gz" -w "$work/wheels" >&2
  rm -rf "$root/wheels"
  mv "$work/wheels" "$root/wheels"
  rm -rf "$work"
  echo "$((SECONDS - started))" > "$root/wheels/.build-seconds"
  echo >&2 "ensure-llamacpp.sh: wheel built in $((SECONDS - started)) s"
}

build_venv() {
  echo >&2 "ensure-llamacpp.sh: creating $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-deps "$root"/wheels/llama_cpp_python-*.whl -r "$lock" >&2
  "$venv/bin/python" -m pip check >&2
  touch "$venv/.complete"
  local other
  for other in "$root"/venv-*; do
    [ "$other" = "$venv" ] || { echo >&2 "ensure-llamacpp.sh: removing stale $other"; rm -rf "$other"; }
  done
}

mkdir -p "$root"
if [ ! -f "$venv/.complete" ]; then
  exec 9>"$root/.build-lock"
  flock 9
  ls "$root"/wheels/llama_cpp_python-*.whl >/dev/null 2>&1 || build_wheel
  [ -f "$venv/.complete" ] || build_venv
  flock -u 9
fi
echo "$venv"
