#!/usr/bin/env bash
# Takes observability-tests/docs/prometheus-alerts.png: runs `./pulse local --observe --no-llm` with the Prometheus
# that has its web UI (build-prometheus-ui.sh), waits until Prometheus reports PulseCrisisAlert firing during the
# bundled crisis episode (its API), then saves the alert page as headless Debian Chromium shows it (Playwright).
#   hack/observability/screenshots.sh [OUT_DIR]      (default observability-tests/docs)
# Not part of `./mvnw verify`. Needs the local run's ports free: 18080 (dashboard), 19090 (Prometheus), and Jaeger's
# 16686 and 4318 (fixed by ./pulse local). Jaeger's trace view is not taken: the Jaeger built here has no web UI
# (hack/observability/README.md says why).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT_DIR="$(mkdir -p "${1:-$ROOT/observability-tests/docs}" && cd "${1:-$ROOT/observability-tests/docs}" && pwd)"
PLAYWRIGHT_VERSION="1.65.1"   # the dashboard's browser tests' version (dashboard/web/package.json)
DASHBOARD_PORT=18080
PROM_PORT=19090
ALERT="PulseCrisisAlert"
log() { echo "[screenshots] $*" >&2; }

for port in "$DASHBOARD_PORT" "$PROM_PORT" 16686 4318; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is in use: stop what listens there first"; exit 1
  fi
done

PROM_DIR="$(bash "$HERE/build-prometheus-ui.sh" | tail -1)"
PW_DIR="$HOME/.cache/pulse/playwright-core/$PLAYWRIGHT_VERSION"
if [[ ! -f "$PW_DIR/node_modules/playwright-core/package.json" ]]; then
  log "installing playwright-core $PLAYWRIGHT_VERSION from npm (the browser is Debian's chromium, not Playwright's)"
  mkdir -p "$PW_DIR"
  npm install --prefix "$PW_DIR" --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION" >&2
fi
bash "$ROOT/dashboard/web/scripts/ensure-chromium.sh"

RUN_LOG="$(mktemp)"
log "starting ./pulse local --observe --no-llm (log: $RUN_LOG)"
# build-prometheus.sh, which ./pulse local --observe calls, finds the UI build complete in this cache root.
PULSE_PROMETHEUS_DIR="$(dirname "$PROM_DIR")" setsid "$ROOT/pulse" local --observe --no-llm --rate 40 --window 10 \
  --port "$DASHBOARD_PORT" --observe-port "$PROM_PORT" >"$RUN_LOG" 2>&1 &
RUN_PID=$!
stop() {
  # The run (its own process group, from setsid) and the Prometheus and Jaeger it started: end them by group id.
  kill -TERM -- "-$RUN_PID" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 -- "-$RUN_PID" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$RUN_PID" 2>/dev/null || true
  rm -f "$RUN_LOG"
}
trap stop EXIT

PROM="http://127.0.0.1:$PROM_PORT"
deadline=$((SECONDS + 900))   # a first run builds the local module and Jaeger; the crisis comes ~70 s after the start
firing() {
  curl -fsS "$PROM/api/v1/alerts" 2>/dev/null | python3 -c 'import json, sys
alerts = json.load(sys.stdin)["data"]["alerts"]
sys.exit(0 if any(a["labels"].get("alertname") == sys.argv[1] and a["state"] == "firing" for a in alerts) else 1)' "$ALERT" 2>/dev/null
}
until firing; do
  if ! kill -0 "$RUN_PID" 2>/dev/null; then log "./pulse local exited:"; tail -40 "$RUN_LOG" >&2; exit 1; fi
  if (( SECONDS > deadline )); then log "$ALERT did not fire in 15 minutes:"; tail -40 "$RUN_LOG" >&2; exit 1; fi
  sleep 3
done
log "$ALERT is firing ($(grep -m1 'ready in' "$RUN_LOG" | sed 's/.*│ //'))"
curl -fsS "$PROM/alerts" | grep -qi '<div id="root"' \
  || { log "Prometheus serves no web UI at $PROM/alerts: is $PROM_DIR the UI build?"; exit 1; }
node "$HERE/screenshot-alerts.mjs" "$PW_DIR/node_modules/playwright-core" "$PROM" "$ALERT" "$OUT_DIR/prometheus-alerts.png"
