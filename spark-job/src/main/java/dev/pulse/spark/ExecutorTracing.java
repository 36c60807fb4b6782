package dev.pulse.spark;

import dev.pulse.stream.ScoreSpans;
import dev.pulse.tracing.PulseTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracing of the JVM a Spark task runs in (an executor; the driver too in local mode): made once, on the first
 * task that scores, from the settings the operator gives the executor pods ({@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code PULSE_TRACE_SAMPLE_RATIO}, contract's TracingOptions) or the equivalent system properties; off (no span,
 * no cost per post) when no endpoint is set; its buffered spans flushed when the JVM exits. Spark gives an executor
 * no start hook, hence lazily, per JVM.
 */
final class ExecutorTracing {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorTracing.class);

  private record Held(String settings, PulseTracing tracing) {}

  private static volatile Held held;

  private ExecutorTracing() {}

  /**
   * This JVM's tracing. The settings are read again on each call (two map lookups per task), so that a JVM running
   * queries with different settings one after the other (tests) gets each its own; a pod's never change.
   */
  static PulseTracing current() {
    String settings = setting(PulseTracing.ENDPOINT_PROPERTY, PulseTracing.ENDPOINT_ENV) + " "
        + setting(PulseTracing.RATIO_PROPERTY, PulseTracing.RATIO_ENV);
    Held h = held;
    return h != null && h.settings.equals(settings) ? h.tracing : replace(settings);
  }

  /** Sends the spans buffered so far (tests; the JVM's exit does it too). */
  static void flush() {
    Held h = held;
    if (h != null) h.tracing.flush();
  }

  private static synchronized PulseTracing replace(String settings) {
    Held h = held;
    if (h != null && h.settings.equals(settings)) return h.tracing;
    PulseTracing tracing;
    try {
      tracing = PulseTracing.forService(ScoreSpans.SERVICE);
    } catch (RuntimeException e) {
      // A bad ratio must not fail every task of the pipeline: it runs untraced, and says why.
      LOG.warn("tracing off in this executor: {}", e.getMessage());
      tracing = PulseTracing.off(ScoreSpans.SERVICE);
    }
    if (h == null) {
      Runtime.getRuntime().addShutdownHook(new Thread(ExecutorTracing::close, "pulse-tracing-flush"));
    } else {
      h.tracing.close();
    }
    held = new Held(settings, tracing);
    if (tracing.enabled()) {
      LOG.info("tracing on in this executor: score spans to {} (parent-based: a post the ingester sampled is traced)",
          setting(PulseTracing.ENDPOINT_PROPERTY, PulseTracing.ENDPOINT_ENV));
    }
    return tracing;
  }

  private static void close() {
    Held h = held;
    if (h != null) h.tracing.close();
  }

  private static String setting(String property, String env) {
    String value = System.getProperty(property);
    return value != null ? value : System.getenv(env);
  }
}
