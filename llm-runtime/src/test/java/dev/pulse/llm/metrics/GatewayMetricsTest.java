package dev.pulse.llm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.model.Source;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gateway's meters as Prometheus reads them: counters per pipeline and reason, the vLLM calls as a histogram. */
class GatewayMetricsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final GatewayMetrics metrics = new GatewayMetrics(registry);

  @Test
  void llmCallsAreAHistogramInSeconds() {
    metrics.llmCall("ok", Duration.ofMillis(300));
    String text = registry.scrape();
    assertThat(text).contains("pulse_gateway_llm_calls_seconds_bucket{outcome=\"ok\",le=\"0.25\"} 0")
        .contains("pulse_gateway_llm_calls_seconds_bucket{outcome=\"ok\",le=\"0.5\"} 1")
        .doesNotContain("quantile=");
  }

  @Test
  void classificationsAndFallbacksCountPerPipelineAndReason() {
    metrics.classified("northwind", Source.FALLBACK);
    metrics.fellBack("northwind", "classify", FallbackReason.BUDGET);
    String text = registry.scrape();
    assertThat(text).contains("pulse_gateway_classifications_total{pipeline=\"northwind\",source=\"FALLBACK\"} 1.0")
        .contains("pulse_gateway_fallbacks_total{endpoint=\"classify\",pipeline=\"northwind\",reason=\"BUDGET\"} 1.0")
        .contains("pulse_gateway_llm_budget_exceeded_total{pipeline=\"northwind\"} 1.0");
  }
}
