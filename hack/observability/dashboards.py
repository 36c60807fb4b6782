#!/usr/bin/env python3
"""Pulse's Grafana dashboards as code: writes charts/pulse-operator/dashboards/*.json (what the chart ships as
ConfigMaps for Grafana's sidecar). Edit here, run `python3 hack/observability/dashboards.py`, commit both.
The observability tests validate each file's structure and run every panel's query against a real Prometheus."""
import json
import os

OUT = os.environ.get("PULSE_DASHBOARDS_OUT") or os.path.join(os.path.dirname(__file__), "..", "..", "charts",
                                                               "pulse-operator", "dashboards")
DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'namespace=~"$namespace",pipeline=~"$pipeline"'


def variables(with_pipeline):
    # Only fields of Grafana's published VariableModel (GrafanaSchemaTest): no "definition" (the editor's display copy
    # of the query), and no empty "current" (Grafana picks the default data source when it is absent).
    v = [{"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus", "hide": 0},
         {"name": "namespace", "label": "Namespace", "type": "query", "datasource": DS,
          "query": {"query": "label_values(up, namespace)", "refId": "namespace"},
          "includeAll": True, "multi": True, "allValue": ".*",
          "current": {"text": "All", "value": "$__all"}, "refresh": 2, "hide": 0}]
    if with_pipeline:
        v.append({"name": "pipeline", "label": "Pipeline", "type": "query", "datasource": DS,
                  "query": {"query": 'label_values(pulse_posts_scored_total{namespace=~"$namespace"}, pipeline)',
                            "refId": "pipeline"},
                  "includeAll": True, "multi": True, "allValue": ".*",
                  "current": {"text": "All", "value": "$__all"}, "refresh": 2, "hide": 0})
    return {"list": v}


class Layout:
    def __init__(self):
        self.x, self.y, self.row_h, self.next_id = 0, 0, 0, 1

    def place(self, w, h):
        if self.x + w > 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self.row_h = max(self.row_h, h)
        pid = self.next_id
        self.next_id += 1
        return pid, pos


def panel(layout, title, description, targets, kind="timeseries", unit="short", w=12, h=8, stack=False):
    pid, pos = layout.place(w, h)
    p = {"id": pid, "type": kind, "title": title, "description": description, "datasource": DS, "gridPos": pos,
         "targets": [dict({"datasource": DS, "refId": chr(ord("A") + i), "editorMode": "code", "range": True},
                          **t) for i, t in enumerate(targets)],
         "fieldConfig": {"defaults": {"unit": unit}, "overrides": []}, "options": {}}
    if kind == "timeseries" and stack:
        p["fieldConfig"]["defaults"]["custom"] = {"stacking": {"mode": "normal", "group": "A"}, "fillOpacity": 30}
    if kind == "heatmap":
        p["options"] = {"calculate": False, "yAxis": {"unit": "s"}, "color": {"scheme": "Oranges", "mode": "scheme"},
                        "cellGap": 1}
        p["fieldConfig"]["defaults"]["unit"] = "s"
    return p


def t(expr, legend, fmt=None):
    d = {"expr": expr, "legendFormat": legend}
    if fmt:
        d["format"] = fmt
    return d


def dashboard(uid, title, description, panels, with_pipeline):
    return {"uid": uid, "title": title, "description": description, "tags": ["pulse"], "editable": True,
            "schemaVersion": 39, "version": 1, "graphTooltip": 1, "time": {"from": "now-1h", "to": "now"},
            "refresh": "30s", "timezone": "browser", "templating": variables(with_pipeline),
            "annotations": {"list": []}, "links": [], "panels": panels}


def overview():
    L = Layout()
    rate = "$__rate_interval"
    panels = [
        panel(L, "Posts ingested per second, by feed",
              "Posts the ingesters wrote to Kafka (pulse_ingest_posts_produced_total).",
              [t(f'sum by (feed) (rate(pulse_ingest_posts_produced_total{{namespace=~"$namespace"}}[{rate}]))', "{{feed}}")],
              unit="reqps"),
        panel(L, "Fetched, filtered and failed, by feed",
              "What each ingester fetched from its source, dropped by its filters (by reason) and failed on (by reason).",
              [t(f'sum by (feed) (rate(pulse_ingest_posts_fetched_total{{namespace=~"$namespace"}}[{rate}]))', "{{feed}} fetched"),
               t(f'sum by (feed, reason) (rate(pulse_ingest_posts_filtered_total{{namespace=~"$namespace"}}[{rate}]))', "{{feed}} filtered: {{reason}}"),
               t(f'sum by (feed, reason) (rate(pulse_ingest_failures_total{{namespace=~"$namespace"}}[{rate}]))', "{{feed}} failed: {{reason}}")],
              unit="reqps"),
        panel(L, "Sentiment mix, by pipeline",
              "Posts scored per second by label (pulse_posts_scored_total).",
              [t(f'sum by (pipeline, label) (rate(pulse_posts_scored_total{{{SEL}}}[{rate}]))', "{{pipeline}} {{label}}")],
              unit="reqps", stack=True),
        panel(L, "Scored posts by tier",
              "Which scorer's label stands: LIGHT (in the stream job), LLM (the gateway), FALLBACK (the light score kept after an escalation failed).",
              [t(f'sum by (tier) (rate(pulse_posts_scored_total{{{SEL}}}[{rate}]))', "{{tier}}")],
              unit="reqps", stack=True),
        panel(L, "Escalations and LLM fallbacks",
              "Posts escalated to the LLM gateway, and those that kept their light score, by reason.",
              [t(f'sum(rate(pulse_escalations_total{{{SEL}}}[{rate}]))', "escalated"),
               t(f'sum by (reason) (rate(pulse_llm_fallbacks_total{{{SEL}}}[{rate}]))', "fallback: {{reason}}")],
              unit="reqps"),
        panel(L, "Dead letters, by reason",
              "Records sent to the dead-letter topic (pulse_dead_letters_total).",
              [t(f'sum by (reason) (rate(pulse_dead_letters_total{{{SEL}}}[{rate}]))', "{{reason}}")],
              unit="reqps"),
        panel(L, "Alerts raised, by kind",
              "Crisis, spike and trend-shift alerts in the last 10 minutes (pulse_alerts_total).",
              [t(f'sum by (pipeline, kind) (increase(pulse_alerts_total{{{SEL}}}[10m]))', "{{pipeline}} {{kind}}")],
              kind="timeseries", unit="short"),
        panel(L, "Ingest → dashboard latency (p50, p99)",
              "From the ingester's stamp to the dashboard backend holding the post (pulse_dashboard_ingest_latency_seconds).",
              [t(f'histogram_quantile(0.5, sum by (le) (rate(pulse_dashboard_ingest_latency_seconds_bucket{{{SEL}}}[{rate}])))', "p50"),
               t(f'histogram_quantile(0.99, sum by (le) (rate(pulse_dashboard_ingest_latency_seconds_bucket{{{SEL}}}[{rate}])))', "p99")],
              unit="s"),
        panel(L, "Ingest → scored latency",
              "Heat map of the time from ingestion to the post's score (pulse_ingest_to_scored_seconds).",
              [t(f'sum by (le) (rate(pulse_ingest_to_scored_seconds_bucket{{{SEL}}}[{rate}]))', "{{le}}", "heatmap")],
              kind="heatmap", w=24, h=9),
        panel(L, "Ingest lag, by feed",
              "Seconds from the newest post's creation at its source to its ingestion (pulse_ingest_lag_seconds).",
              [t('max by (feed) (pulse_ingest_lag_seconds{namespace=~"$namespace"})', "{{feed}}")],
              unit="s"),
        panel(L, "Dashboard consumer lag, by topic",
              "Records the dashboard backend has yet to read from the pipeline's output topics (its Kafka consumer's records-lag).",
              [t(f'sum by (topic) (kafka_consumer_fetch_manager_records_lag{{{SEL}}})', "{{topic}}")],
              unit="short"),
        panel(L, "Targets up",
              "Pulse's scraped endpoints that answer (up).",
              [t('sum by (job) (up{namespace=~"$namespace"})', "{{job}}")],
              kind="stat", unit="short"),
    ]
    return dashboard("pulse-overview", "Pulse / Overview",
                     "Posts per feed, sentiment mix, escalations, dead letters, alerts and latency of Pulse pipelines.",
                     panels, True)


def operator():
    L = Layout()
    rate = "$__rate_interval"
    ns = 'namespace=~"$namespace"'
    panels = [
        panel(L, "Reconciles per second, by controller",
              "Reconciliations started, retries included (pulse_operator_reconciles_total).",
              [t(f'sum by (controller) (rate(pulse_operator_reconciles_total{{{ns}}}[{rate}]))', "{{controller}}")],
              unit="reqps"),
        panel(L, "Reconcile errors per second, by controller",
              "Reconciliations that threw; the operator retries them with back-off (pulse_operator_reconcile_errors_total).",
              [t(f'sum by (controller) (rate(pulse_operator_reconcile_errors_total{{{ns}}}[{rate}]))', "{{controller}}")],
              unit="reqps"),
        panel(L, "Reconcile duration (p50, p99), by controller",
              "Time one reconciliation takes (pulse_operator_reconcile_duration_seconds).",
              [t(f'histogram_quantile(0.5, sum by (controller, le) (rate(pulse_operator_reconcile_duration_seconds_bucket{{{ns}}}[{rate}])))', "{{controller}} p50"),
               t(f'histogram_quantile(0.99, sum by (controller, le) (rate(pulse_operator_reconcile_duration_seconds_bucket{{{ns}}}[{rate}])))', "{{controller}} p99")],
              unit="s"),
        panel(L, "Queue: in progress and events",
              "Reconciliations running now (at most the reconcile threads) and informer events arriving (the work queue's input).",
              [t(f'sum by (controller) (pulse_operator_reconciles_in_progress{{{ns}}})', "{{controller}} in progress"),
               t(f'sum by (controller) (rate(pulse_operator_events_total{{{ns}}}[{rate}]))', "{{controller}} events/s")],
              unit="short"),
        panel(L, "Operator heap",
              "JVM heap in use (jvm_memory_used_bytes, area heap).",
              [t(f'sum by (instance) (jvm_memory_used_bytes{{{ns},job=~".*operator.*",area="heap"}})', "{{instance}}")],
              unit="bytes"),
        panel(L, "Operator HTTP requests (probes, scrapes)",
              "Requests the operator's own endpoint served, by URI (http_server_requests_seconds).",
              [t(f'sum by (uri) (rate(http_server_requests_seconds_count{{{ns},job=~".*operator.*"}}[{rate}]))', "{{uri}}")],
              unit="reqps"),
    ]
    return dashboard("pulse-operator", "Pulse / Operator",
                     "The Pulse operator: reconciles, errors, durations and its queue, per controller.", panels, False)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, d in (("pulse-overview.json", overview()), ("pulse-operator.json", operator())):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(d, f, indent=2)
            f.write("\n")
        print(os.path.normpath(os.path.join(OUT, name)))
