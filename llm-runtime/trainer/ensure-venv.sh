#!/usr/bin/env bash
# Prints the path of the trainer's venv, creating it first if this lock has none yet (logs go to stderr).
#
# torch from PyPI is the CUDA build and brings ~5 GB of CUDA wheels, so the venv lives outside the
# repo, keyed by the hash of requirements.lock (+ Python version and CPU arch): only the first run
# after a lock change pays for the install; later runs reuse it. Used by run-tests.sh (the pytest
# suite) and by scoring-training/encoder-tuning/finetune.sh (./pulse train-scorer --encoder).
#
#   PULSE_PYTHON       interpreter to build the venv with (default: python3, must be 3.11)
#   PULSE_VENV_CACHE   where venvs are kept (default: ${XDG_CACHE_HOME:-~/.cache}/pulse/venvs)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lock="$here/requirements.lock"
python="${PULSE_PYTHON:-python3}"
cache="${PULSE_VENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulse/venvs}"

py_version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$py_version" != "3.11" ]; then
  echo >&2 "ensure-venv.sh: requirements.lock is resolved for CPython 3.11, $python is $py_version" \
       "(set PULSE_PYTHON to a python3.11)" >&2
  exit 1
fi
key="$({ cat "$lock"; echo "$py_version"; uname -m; } | sha256sum | cut -c1-16)"
venv="$cache/trainer-$key"

build_venv() {
  local started=$SECONDS
  echo >&2 "ensure-venv.sh: creating $venv (first run for this lock; downloads torch + CUDA wheels)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  # --no-deps: the lock is complete; pip check below proves it. No pip cache: it would double
  # the ~5 GB on disk for a venv we keep anyway.
  "$venv/bin/python" -m pip install --quiet >&2 --no-cache-dir --no-deps -r "$lock"
  "$venv/bin/python" -m pip check >&2
  touch "$venv/.complete"
  echo >&2 "ensure-venv.sh: venv ready in $((SECONDS - started)) s"
  prune_old_venvs
}

prune_old_venvs() {
  # Venvs of older locks are dead weight (several GB each).
  local other
  for other in "$cache"/trainer-*; do
    case "$other" in
      "$venv" | "$venv.build-lock") ;;
      *) echo >&2 "ensure-venv.sh: removing stale $other"; rm -rf "$other" ;;
    esac
  done
}

mkdir -p "$cache"
if [ ! -f "$venv/.complete" ]; then
  # One builder at a time (parallel builds of the same venv would corrupt it).
  exec 9>"$venv.build-lock"
  flock 9
  [ -f "$venv/.complete" ] || build_venv
  flock -u 9
else
  echo >&2 "ensure-venv.sh: reusing $venv"
fi

echo "$venv"
