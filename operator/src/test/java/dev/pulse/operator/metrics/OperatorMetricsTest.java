package dev.pulse.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JOSDK hooks as Prometheus reads them: per controller, never per resource. */
class OperatorMetricsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final OperatorMetrics metrics = new OperatorMetrics(registry);
  private final HasMetadata feed = new ConfigMapBuilder().withNewMetadata().withName("northwind-news")
      .withNamespace("brands").endMetadata().build();
  private final Map<String, Object> meta = Map.of(Constants.CONTROLLER_NAME, "sourcefeed");

  private double value(String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(registry.scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void countsReconcilesErrorsAndDurationsPerController() throws Exception {
    metrics.reconcileCustomResource(feed, null, meta);
    metrics.reconciliationExecutionStarted(feed, meta);
    assertThat(value("pulse_operator_reconciles_in_progress{controller=\"sourcefeed\"}")).isEqualTo(1.0);
    metrics.timeControllerExecution(new Metrics.ControllerExecution<String>() {
      public String name() { return "reconcile"; }
      public String controllerName() { return "sourcefeed"; }
      public String successTypeName(String r) { return "ok"; }
      public ResourceID resourceID() { return ResourceID.fromResource(feed); }
      public Map<String, Object> metadata() { return meta; }
      public String execute() throws InterruptedException {
        Thread.sleep(30);
        return "done";
      }
    });
    metrics.reconciliationExecutionFinished(feed, meta);
    metrics.reconcileCustomResource(feed, null, meta);
    metrics.failedReconciliation(feed, new IllegalStateException("boom"), meta);

    assertThat(value("pulse_operator_reconciles_total{controller=\"sourcefeed\"}")).isEqualTo(2.0);
    assertThat(value("pulse_operator_reconcile_errors_total{controller=\"sourcefeed\"}")).isEqualTo(1.0);
    assertThat(value("pulse_operator_reconciles_in_progress{controller=\"sourcefeed\"}")).isEqualTo(0.0);
    assertThat(value("pulse_operator_reconcile_duration_seconds_count{controller=\"sourcefeed\"}")).isEqualTo(1.0);
    assertThat(value("pulse_operator_reconcile_duration_seconds_bucket{controller=\"sourcefeed\",le=\"0.025\"}"))
        .as("30 ms is above the 25 ms bucket").isEqualTo(0.0);
    assertThat(value("pulse_operator_reconcile_duration_seconds_bucket{controller=\"sourcefeed\",le=\"+Inf\"}"))
        .isEqualTo(1.0);
    assertThat(registry.scrape()).doesNotContain("northwind-news").doesNotContain("brands");
  }

  @Test
  void aFailingExecutionIsTimedAndRethrown() {
    assertThatThrownBy(() -> metrics.timeControllerExecution(new Metrics.ControllerExecution<Object>() {
      public String name() { return "reconcile"; }
      public String controllerName() { return "sentimentpipeline"; }
      public String successTypeName(Object r) { return "ok"; }
      public ResourceID resourceID() { return ResourceID.fromResource(feed); }
      public Map<String, Object> metadata() { return Map.of(); }
      public Object execute() { throw new IllegalStateException("API server said no"); }
    })).hasMessage("API server said no");
    assertThat(value("pulse_operator_reconcile_duration_seconds_count{controller=\"sentimentpipeline\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void aResourceWithoutControllerNameCountsUnderItsKind() {
    metrics.reconcileCustomResource(feed, null, Map.of());
    assertThat(value("pulse_operator_reconciles_total{controller=\"configmap\"}")).isEqualTo(1.0);
  }
}
