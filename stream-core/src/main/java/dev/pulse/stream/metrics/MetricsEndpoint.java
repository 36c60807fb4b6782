package dev.pulse.stream.metrics;

import dev.pulse.metricshttp.MetricsHttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.concurrent.Executors;

/** Prometheus' text format on {@code /metrics}, from the JDK's HTTP server (no web framework in a Spark JVM). */
final class MetricsEndpoint {
  private final MetricsHttpServer server;

  MetricsEndpoint(int port, PrometheusMeterRegistry registry) throws IOException {
    // A daemon thread: the endpoint must never keep a finished job's JVM alive.
    server = new MetricsHttpServer(port, registry, Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "pulse-stream-metrics");
      t.setDaemon(true);
      return t;
    }), s -> { });
  }

  int port() {
    return server.port();
  }
}
