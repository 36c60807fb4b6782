#!/usr/bin/env bash
# Runs finetune.py (arguments passed on) in the QLoRA trainer's venv (torch, transformers, tokenizers; built or reused
# by llm-runtime/trainer/ensure-venv.sh) plus this directory's requirements.lock, which pip installs once per lock hash
# into a folder next to the venvs. ./pulse train-scorer --encoder calls it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$("$here/../../llm-runtime/trainer/ensure-venv.sh")"
cache="${PULSE_VENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulse/venvs}"
key="$({ cat "$here/requirements.lock"; basename "$venv"; } | sha256sum | cut -c1-16)"
extras="$cache/encoder-extras-$key"
if [ ! -f "$extras/.complete" ]; then
  echo >&2 "finetune.sh: installing $here/requirements.lock into $extras"
  rm -rf "$extras"
  "$venv/bin/python" -m pip install --quiet --no-deps --target "$extras" -r "$here/requirements.lock" >&2
  touch "$extras/.complete"
fi
PYTHONPATH="$extras" exec "$venv/bin/python" "$here/finetune.py" "$@"
