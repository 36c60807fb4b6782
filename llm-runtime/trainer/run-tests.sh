#!/usr/bin/env bash
# Runs the trainer's pytest suite (CPU, tiny model, nothing downloaded but the pinned packages), in the venv
# ensure-venv.sh keeps outside the repo (see there). Extra arguments go to pytest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$("$here/ensure-venv.sh")"
cd "$here"
exec "$venv/bin/python" -m pytest "$@"
