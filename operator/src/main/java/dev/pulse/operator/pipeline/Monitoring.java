package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.feed.SourceFeedObjects;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus-operator objects (monitoring.coreos.com/v1), as generic resources: that API is optional in a
 * cluster, so Pulse carries no model of it and creates these only when discovery finds the kinds.
 */
public final class Monitoring {

  public static final String GROUP = "monitoring.coreos.com";
  public static final String API_VERSION = GROUP + "/v1";

  private Monitoring() {}

  /**
   * Scrapes the pipeline's Services: the gateway and dashboard on their Spring Boot endpoint (port {@code
   * http}), vLLM on /metrics (port {@code vllm}). An endpoint whose port a Service lacks is skipped for it.
   */
  public static GenericKubernetesResource serviceMonitor(SentimentPipeline p) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("selector", Map.of("matchLabels", Map.of(
        "app.kubernetes.io/instance", OwnedObjects.ownerLabel(p),
        "app.kubernetes.io/managed-by", OwnedObjects.MANAGED_BY)));
    spec.put("endpoints", List.of(
        Map.of("port", "http", "path", "/actuator/prometheus", "interval", "30s"),
        Map.of("port", "vllm", "path", "/metrics", "interval", "30s")));
    return generic("ServiceMonitor", p, spec);
  }

  /**
   * Scrapes the pipeline's Spark driver and executors (both launchers) on their {@code metrics} container port: no
   * Service fronts the executors, which Spark creates and replaces itself, so a PodMonitor selects the pods by the
   * labels Pulse puts on both pod templates. Named like the ServiceMonitor (a different kind).
   */
  public static GenericKubernetesResource podMonitor(SentimentPipeline p) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("selector", Map.of("matchLabels", OwnedObjects.selector(p, PipelineNames.SPARK)));
    spec.put("podMetricsEndpoints", List.of(Map.of("port", SPARK_METRICS_PORT, "path", "/metrics",
        "interval", "30s")));
    return generic("PodMonitor", p, spec);
  }

  /** The Spark pods' container port the PodMonitor scrapes (SparkDriver.METRICS_PORT). */
  public static final String SPARK_METRICS_PORT = "metrics";

  /**
   * Scrapes one SourceFeed's ingester: its metrics Service (port {@code metrics}, /metrics), selected by the feed's
   * own labels. Owned by the feed, so a feed shared by several pipelines is scraped once.
   */
  public static GenericKubernetesResource feedServiceMonitor(SourceFeed feed) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("selector", Map.of("matchLabels", OwnedObjects.selector(feed, SourceFeedObjects.COMPONENT)));
    spec.put("endpoints", List.of(Map.of("port", "metrics", "path", "/metrics", "interval", "30s")));
    GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind("ServiceMonitor")
        .withMetadata(OwnedObjects.metadata(feed, SourceFeedObjects.ingesterName(feed), SourceFeedObjects.COMPONENT))
        .build();
    r.setAdditionalProperty("spec", spec);
    withSelectedLabels(r, feed);
    return r;
  }

  /**
   * Crisis alerts (from the alerts the pipeline raises) and pipeline-health rules, scoped to this pipeline. Every
   * expression reads a metric a Pulse component emits (the stream core's {@code dev.pulse.stream.metrics}, the
   * dashboard's latency histogram, {@code up} of the scraped Services); the observability tests load these rules into
   * a real Prometheus, check each metric has series, and prove with promtool that each alert can fire.
   */
  public static GenericKubernetesResource prometheusRule(SentimentPipeline p) {
    return generic("PrometheusRule", p, Map.of("groups", ruleGroups(p)));
  }

  /** The rule groups, as a Prometheus rule file holds them (the PrometheusRule's spec). */
  public static List<Object> ruleGroups(SentimentPipeline p) {
    String name = p.getMetadata().getName();
    String ns = p.getMetadata().getNamespace();
    String sel = "namespace=\"" + ns + "\",pipeline=\"" + name + "\"";
    List<Object> crisis = List.of(
        rule("PulseCrisisAlert", "increase(pulse_alerts_total{" + sel + ",kind=\"CRISIS\"}[10m]) > 0", "0m", "critical",
            "Crisis detected for pipeline " + name,
            "The pipeline raised a CRISIS alert: the share of negative posts crossed its threshold. Open the dashboard."),
        rule("PulseVolumeSpike", "increase(pulse_alerts_total{" + sel + ",kind=\"SPIKE\"}[10m]) > 0", "0m", "warning",
            "Post volume spike for pipeline " + name,
            "Post volume reached the spike factor over its trailing average."));
    List<Object> health = new ArrayList<>(List.of(
        rule("PulseDeadLettersGrowing", "sum(rate(pulse_dead_letters_total{" + sel + "}[15m])) > 0.1", "15m", "warning",
            "Posts are going to the dead-letter topic",
            "More than 0.1 records/s fail parsing or cleaning (pulse_dead_letters_total by reason); read "
                + PipelineNames.topic(p, OutputTopics.Kind.DEAD_LETTERS) + "."),
        rule("PulseScoringSlow", "histogram_quantile(0.99, sum by (le) (rate(pulse_ingest_to_scored_seconds_bucket{"
                + sel + "}[5m]))) > 10", "10m", "warning",
            "Posts of " + name + " take more than 10 s from ingestion to their score (p99)",
            "The stream job falls behind its feeds: check the Spark job's executors and the LLM gateway's latency."),
        rule("PulseDashboardLatencyHigh", "histogram_quantile(0.99, sum by (le) "
                + "(rate(pulse_dashboard_ingest_latency_seconds_bucket{" + sel + "}[5m]))) > 30", "10m", "warning",
            "Posts of " + name + " reach the dashboard more than 30 s after ingestion (p99)",
            "End-to-end latency is high: compare with pulse_ingest_to_scored_seconds to see which side is slow."),
        rule("PulseDashboardDown", "up{namespace=\"" + ns + "\",service=\"" + PipelineNames.dashboard(p) + "\"} == 0", "5m",
            "warning", "Dashboard of " + name + " is not scraped", "No dashboard pod answers its metrics endpoint.")));
    if (PipelineDefaults.llm(p) != null) {
      // The stream core's view: it sees the gateway being unreachable too, which the gateway's own counters cannot.
      health.add(rule("PulseLlmFallbackHigh",
          "sum(rate(pulse_llm_fallbacks_total{" + sel + "}[10m]))"
              + " / clamp_min(sum(rate(pulse_escalations_total{" + sel + "}[10m])), 1e-9) > 0.5",
          "10m", "warning", "Most escalated posts of " + name + " fall back to the light score",
          "More than half of the LLM escalations keep their light score; pulse_llm_fallbacks_total's reason label "
              + "says why (timeout, unreachable, gateway: then pulse_gateway_fallbacks_total has the gateway's reason)."));
      health.add(rule("PulseVllmDown", "up{namespace=\"" + ns + "\",service=\"" + PipelineNames.vllm(p) + "\"} == 0", "10m",
          "warning", "vLLM of " + name + " is down", "No vLLM pod answers; escalated posts keep their light score."));
    }
    return List.of(
        Map.of("name", "pulse-" + name + "-crisis", "rules", crisis),
        Map.of("name", "pulse-" + name + "-health", "rules", health));
  }

  /**
   * What the Monitoring condition says when both objects were created: what they are, which labels they carry, and
   * what a user must check for a Prometheus to pick them up.
   */
  public static String summary(SentimentPipeline p) {
    return summary(p, RenderInputs.MonitoringSupport.ALL);
  }

  /** As {@link #summary(SentimentPipeline)}, saying whether the Spark pods' PodMonitor was created. */
  @SuppressWarnings("unchecked")
  public static String summary(SentimentPipeline p, RenderInputs.MonitoringSupport support) {
    List<String> alerts = new ArrayList<>();
    for (Object g : ruleGroups(p)) {
      for (Object r : (List<Object>) ((Map<String, Object>) g).get("rules")) {
        alerts.add((String) ((Map<String, Object>) r).get("alert"));
      }
    }
    Map<String, String> extra = MonitoringLabels.of(p);
    String labels = extra.isEmpty() ? "only Pulse's app.kubernetes.io labels"
        : "the labels " + extra.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    String spark = support.podMonitor()
        ? ", the PodMonitor scrapes the Spark driver and executors (container port " + SPARK_METRICS_PORT + ")"
        : "; no PodMonitor, as this cluster serves none: the Spark driver's and executors' metrics are not scraped";
    return (support.podMonitor() ? "ServiceMonitor, PodMonitor and PrometheusRule " : "ServiceMonitor and PrometheusRule ")
        + PipelineNames.monitoring(p) + " created, with " + labels
        + ": the ServiceMonitor scrapes the dashboard" + (PipelineDefaults.llm(p) != null ? ", LLM gateway and vLLM" : "")
        + " Services" + spark + ", the PrometheusRule holds " + String.join(", ", alerts) + ". Check that your "
        + "Prometheus selects them: its serviceMonitorSelector" + (support.podMonitor() ? ", podMonitorSelector" : "")
        + " and ruleSelector must match these labels (the chart's serviceMonitor.labels or the annotation "
        + MonitoringLabels.ANNOTATION + " add them) and its namespace selectors this namespace; each SourceFeed's "
        + "ingester has a ServiceMonitor of its own with the same labels.";
  }

  private static Map<String, Object> rule(String alert, String expr, String forDuration, String severity,
      String summary, String description) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("alert", alert);
    rule.put("expr", expr);
    rule.put("for", forDuration);
    rule.put("labels", Map.of("severity", severity));
    rule.put("annotations", Map.of("summary", summary, "description", description));
    return rule;
  }

  /** What the cluster's Prometheus selects on (e.g. release: kube-prometheus-stack); Pulse's own labels win. */
  private static void withSelectedLabels(GenericKubernetesResource r, HasMetadata owner) {
    Map<String, String> labels = new LinkedHashMap<>(MonitoringLabels.of(owner));
    labels.putAll(r.getMetadata().getLabels());
    r.getMetadata().setLabels(labels);
  }

  private static GenericKubernetesResource generic(String kind, SentimentPipeline p, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind(kind)
        .withMetadata(OwnedObjects.metadata(p, PipelineNames.monitoring(p), PipelineNames.MONITORING))
        .build();
    withSelectedLabels(r, p);
    r.setAdditionalProperty("spec", spec);
    return r;
  }
}
