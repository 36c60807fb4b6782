package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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

  /** Crisis alerts (from the alerts the pipeline raises) and pipeline-health rules, scoped to this pipeline. */
  public static GenericKubernetesResource prometheusRule(SentimentPipeline p) {
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
            "More than 0.1 posts/s fail parsing or scoring; read " + PipelineNames.topic(p, OutputTopics.Kind.DEAD_LETTERS) + "."),
        rule("PulseDashboardDown", "up{namespace=\"" + ns + "\",service=\"" + PipelineNames.dashboard(p) + "\"} == 0", "5m",
            "warning", "Dashboard of " + name + " is not scraped", "No dashboard pod answers its metrics endpoint.")));
    if (PipelineDefaults.llm(p) != null) {
      health.add(rule("PulseLlmFallbackHigh",
          "sum(rate(pulse_gateway_fallbacks_total{namespace=\"" + ns + "\",pipeline=\"" + name + "\"}[10m]))"
              + " / clamp_min(sum(rate(pulse_gateway_classifications_total{namespace=\"" + ns + "\",pipeline=\"" + name
              + "\"}[10m])), 1e-9) > 0.5",
          "10m", "warning", "Most escalated posts of " + name + " fall back to the light score",
          "More than half of the LLM escalations fall back (budget, timeout or vLLM errors); see the fallback reasons."));
      health.add(rule("PulseVllmDown", "up{namespace=\"" + ns + "\",service=\"" + PipelineNames.vllm(p) + "\"} == 0", "10m",
          "warning", "vLLM of " + name + " is down", "No vLLM pod answers; escalated posts keep their light score."));
    }
    Map<String, Object> spec = Map.of("groups", List.of(
        Map.of("name", "pulse-" + name + "-crisis", "rules", crisis),
        Map.of("name", "pulse-" + name + "-health", "rules", health)));
    return generic("PrometheusRule", p, spec);
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

  private static GenericKubernetesResource generic(String kind, SentimentPipeline p, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind(kind)
        .withMetadata(OwnedObjects.metadata(p, PipelineNames.monitoring(p), PipelineNames.MONITORING))
        .build();
    r.setAdditionalProperty("spec", spec);
    return r;
  }
}
