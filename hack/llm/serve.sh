#!/usr/bin/env bash
# Runs llama.cpp's OpenAI-compatible server on CPU with SmolLM2-135M-Instruct and optional LoRA
# adapters, as ./pulse local, ./pulse eval --escalate and the gateway's real-model tests start it.
# Builds the engine and fetches the model first when they are not cached (ensure-llamacpp.sh,
# ensure-model.sh). Runs in the foreground until killed (SIGTERM stops it).
#
#   hack/llm/serve.sh [--port 8000] [--host 127.0.0.1] [--threads N] [--ctx 2048]
#                     [--model FILE.gguf] [--base-name smollm2-135m-instruct]
#                     [--adapter NAME=ADAPTER.gguf]...
#
# Every model name is served at /v1/chat/completions: the base model under --base-name, and each
# adapter under its NAME (the base model with that LoRA applied). llama-cpp-python keeps one model
# loaded at a time and reloads (~0.3 s) when a request names another one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." 2>/dev/null && pwd || echo /)"
port=8000
host=127.0.0.1
threads="$(nproc)"
ctx=2048
model=""
base_name=smollm2-135m-instruct
adapters=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --ctx) ctx="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --base-name) base_name="$2"; shift 2 ;;
    --adapter) adapters+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo >&2 "serve.sh: unknown argument $1 (--help)"; exit 2 ;;
  esac
done

# In the pulse-llamacpp image both are baked in (PULSE_LLAMACPP_VENV, PULSE_LLM_MODEL_FILE); here they are built
# and fetched on first use.
venv="${PULSE_LLAMACPP_VENV:-$("$here/ensure-llamacpp.sh")}"
[ -n "$model" ] || model="${PULSE_LLM_MODEL_FILE:-$("$here/ensure-model.sh")}"
server="$here/pulse_llamacpp_server.py"
[ -f "$server" ] || server="$repo/llm-runtime/llamacpp/pulse_llamacpp_server.py"
for a in "${adapters[@]}"; do
  path="${a#*=}"
  if [ "$path" = "$a" ] || [ ! -f "$path" ]; then
    echo >&2 "serve.sh: --adapter wants NAME=FILE.gguf with an existing file, got '$a'"
    exit 2
  fi
done

# OpenMP threads sleep rather than spin while they wait for each other: on a machine shared with builds (a
# developer's, CI) spinning threads burn the cores the others need and slow llama.cpp itself down; a dedicated
# pod may set OMP_WAIT_POLICY=ACTIVE.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
config="$(mktemp -t pulse-llamacpp.XXXXXX.json)"
trap 'rm -f "$config"' EXIT
"$venv/bin/python" - "$config" "$host" "$port" "$threads" "$ctx" "$model" "$base_name" "${adapters[@]}" <<'EOF'
import json, sys
config, host, port, threads, ctx, model, base_name, *adapters = sys.argv[1:]
def entry(alias, lora=None):
    # temperature etc. come with each request; these are load-time settings.
    e = {"model": model, "model_alias": alias, "n_ctx": int(ctx), "n_batch": 512,
         "n_threads": int(threads), "n_threads_batch": int(threads), "verbose": False}
    if lora:
        e["lora_path"] = lora
    return e
models = [entry(base_name)] + [entry(a.split("=", 1)[0], a.split("=", 1)[1]) for a in adapters]
json.dump({"host": host, "port": int(port), "models": models}, open(config, "w"), indent=1)
EOF
"$venv/bin/python" "$server" --config_file "$config" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; rm -f "$config"' EXIT INT TERM
wait "$child"
