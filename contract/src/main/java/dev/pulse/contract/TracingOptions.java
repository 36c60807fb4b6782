package dev.pulse.contract;

import static dev.pulse.contract.ConfigOption.DOUBLE;
import static dev.pulse.contract.ConfigOption.STRING;
import static dev.pulse.contract.ConfigOption.optional;
import static dev.pulse.contract.ConfigOption.withDefault;

import java.util.List;

/**
 * The tracing settings every Pulse workload reads from its environment (pulse-tracing's {@code PulseTracing}) and the
 * operator writes into every pod it creates (ingester, Spark driver and executors, gateway, dashboard). The keys are
 * environment variable names; the endpoint's is OpenTelemetry's own, so a stock collector setting works too.
 */
public final class TracingOptions {
  private TracingOptions() {}

  /** Off (no span, nothing exported) while unset. */
  public static final ConfigOption<String> ENDPOINT = optional("OTEL_EXPORTER_OTLP_ENDPOINT", STRING,
      "The OTLP/HTTP endpoint spans are exported to (e.g. http://jaeger-collector.observability:4318); unset = "
          + "tracing off.")
      .validate(s -> s.startsWith("http://") || s.startsWith("https://"), "an http:// or https:// URL");

  /** Low by default: tracing every post costs export bandwidth and collector storage, not only CPU. */
  public static final ConfigOption<Double> SAMPLE_RATIO = withDefault("PULSE_TRACE_SAMPLE_RATIO", DOUBLE, 0.01,
      "The share of new traces sampled, 0 to 1 (parent-based: a post the ingester sampled is sampled by every later "
          + "stage).")
      .validate(r -> r >= 0 && r <= 1, "between 0 and 1");

  public static final List<ConfigOption<?>> ALL = List.of(ENDPOINT, SAMPLE_RATIO);
}
