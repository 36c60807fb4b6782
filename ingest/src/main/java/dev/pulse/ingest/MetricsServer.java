package dev.pulse.ingest;

import dev.pulse.metricshttp.MetricsHttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;

/**
 * Serves Prometheus' text format on /metrics for the metrics Service the operator creates, liveness on /healthz
 * (200 while the process serves: a restart would not fix a failing source) and readiness on /readyz (200 only while
 * a poll succeeded within the staleness bound, {@link PollHealth}; 503 with the reason otherwise).
 */
public final class MetricsServer implements AutoCloseable {
  private final MetricsHttpServer server;

  public MetricsServer(int port, PrometheusMeterRegistry registry, PollHealth health) throws IOException {
    server = new MetricsHttpServer(port, registry, null, s -> {
      s.createContext("/healthz", exchange -> {
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      s.createContext("/readyz",
          exchange -> MetricsHttpServer.text(exchange, health.ready() ? 200 : 503, health.describe()));
    });
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
