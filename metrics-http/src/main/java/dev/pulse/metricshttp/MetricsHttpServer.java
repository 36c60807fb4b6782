package dev.pulse.metricshttp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Prometheus' text format on {@code /metrics}, from the JDK's HTTP server: for a process with no web framework. The
 * caller may add its own paths (the ingester's probes) and choose the executor (a Spark JVM's must be a daemon).
 */
public final class MetricsHttpServer implements AutoCloseable {
  private final HttpServer server;

  /**
   * @param executor the server's threads; null: the JDK's default (the thread that started it dispatches)
   * @param more adds the caller's own contexts before the server starts
   */
  public MetricsHttpServer(int port, PrometheusMeterRegistry registry, Executor executor, Consumer<HttpServer> more)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    more.accept(server);
    server.setExecutor(executor);
    server.start();
  }

  /** Answers one line of plain text with this status. */
  public static void text(HttpExchange exchange, int status, String line) throws IOException {
    byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
