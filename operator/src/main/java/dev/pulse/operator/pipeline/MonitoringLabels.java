package dev.pulse.operator.pipeline;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The labels a cluster's Prometheus selects monitoring objects by (kube-prometheus-stack selects on {@code release}),
 * put on the ServiceMonitor and PrometheusRule of each pipeline and the ServiceMonitor of each SourceFeed: the
 * operator's defaults (the chart's
 * {@code serviceMonitor.labels}, passed as {@value #ENV}), then the pipeline's own annotation {@value #ANNOTATION}.
 * Both are {@code key=value,key2=value2}. Pulse's own labels ({@code app.kubernetes.io/*}) always win.
 */
public final class MonitoringLabels {
  public static final String ENV = "PULSE_MONITORING_LABELS";
  public static final String ANNOTATION = "pulse.dev/monitoring-labels";
  private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MonitoringLabels.class);
  private static final Map<String, String> DEFAULTS = parse(System.getenv(ENV));

  private MonitoringLabels() {}

  /** The labels for the monitoring objects of a pipeline or feed: the operator's defaults, then its annotation. */
  public static Map<String, String> of(HasMetadata p) {
    Map<String, String> labels = new LinkedHashMap<>(DEFAULTS);
    Map<String, String> annotations = p.getMetadata().getAnnotations();
    if (annotations != null) {
      labels.putAll(parse(annotations.get(ANNOTATION)));
    }
    return labels;
  }

  /**
   * {@code key=value,key2=value2}. A pair that is not a valid Kubernetes label is left out and logged (a typo in an
   * annotation must not stop the pipeline's reconcile); the log names them.
   */
  public static Map<String, String> parse(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String pair : spec.split(",")) {
      if (pair.isBlank()) continue;
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
      String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
      if (eq < 0 || !KEY.matcher(key).matches() || key.length() > 316 || !VALUE.matcher(value).matches()
          || value.length() > 63) {
        LOG.warn("monitoring label '{}' is not key=value with a valid Kubernetes label key and value (from {} or {});"
            + " left out", pair.trim(), ANNOTATION, ENV);
        continue;
      }
      out.put(key, value);
    }
    return out;
  }
}
