package dev.pulse.stream.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream core's meters, one registry per JVM: the in-JVM engine of {@code ./pulse local}, the Spark driver and
 * each Spark executor each hold one, since the steps that count (scoring, escalation, routing, window closing) run
 * wherever Spark schedules them. Every series carries the pipeline, and at most the feed and a small enum besides.
 *
 * <p>A JVM serves its meters on {@code /metrics} when the environment names a port ({@value #PORT_ENV}, what the
 * operator sets on the Spark pods) or when {@link #serve(int)} is called (the local run).
 */
public final class StreamMetrics {
  /** The environment variable that makes a JVM serve its stream meters (e.g. on the Spark driver and executors). */
  public static final String PORT_ENV = "PULSE_METRICS_PORT";

  private static final StreamMetrics INSTANCE = new StreamMetrics();
  private static volatile MetricsEndpoint endpoint;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, PipelineMeters> pipelines = new ConcurrentHashMap<>();

  private StreamMetrics() {}

  /** This JVM's stream meters; the first call serves them when {@value #PORT_ENV} is set. */
  public static StreamMetrics get() {
    if (endpoint == null) {
      String port = System.getenv(PORT_ENV);
      if (port != null && !port.isBlank()) {
        serve(Integer.parseInt(port.trim()));
      }
    }
    return INSTANCE;
  }

  /**
   * The meters of one pipeline. The first call registers every counter whose labels are known in advance at 0
   * (alert kinds, dead-letter and fallback reasons), so that {@code increase()} sees the first event as a rise.
   */
  public static PipelineMeters pipeline(String pipeline) {
    String name = pipeline == null || pipeline.isBlank() ? "unknown" : pipeline;
    return get().pipelines.computeIfAbsent(name, n -> new PipelineMeters(INSTANCE.registry, n));
  }

  /** Serves this JVM's stream meters on {@code /metrics} at {@code port} (0: any free port); once per JVM. */
  public static synchronized int serve(int port) {
    if (endpoint == null) {
      try {
        endpoint = new MetricsEndpoint(port, INSTANCE.registry);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serve the stream metrics on port " + port, e);
      }
    }
    return endpoint.port();
  }

  /** The port the meters are served on, or -1. */
  public static int servedPort() {
    MetricsEndpoint e = endpoint;
    return e == null ? -1 : e.port();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus' text format of every stream meter in this JVM. */
  public String scrape() {
    return registry.scrape();
  }
}
