package dev.pulse.testsupport.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.testsupport.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A real Jaeger all-in-one (OTLP/HTTP in, in-memory storage, query API) on free local ports, as a child process;
 * the binary built (or found in its cache) by hack/observability/build-jaeger.sh ({@link GoBuilds}).
 */
public final class JaegerServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final Path log;
  private final int otlp;
  private final int query;
  private final HttpClient http = HttpClient.newHttpClient();

  private JaegerServer(Process process, Path log, int otlp, int query) {
    this.process = process;
    this.log = log;
    this.otlp = otlp;
    this.query = query;
  }

  /** Builds Jaeger if needed ({@link GoBuilds.Unavailable} where Go is missing to build it) and starts it. */
  public static JaegerServer start() throws IOException, InterruptedException {
    Path bin = GoBuilds.build("build-jaeger.sh");
    // Distinct ports, chosen together (ports chosen one by one can repeat once their socket is closed).
    int[] free = FreePorts.distinct(7);
    int otlp = free[0];
    int query = free[1];
    int admin = free[2];
    Path log = Files.createTempFile("pulse-jaeger", ".log");
    Process p = new ProcessBuilder(List.of(bin.resolve("jaeger-all-in-one").toString(),
        "--collector.otlp.http.host-port=127.0.0.1:" + otlp,
        "--collector.otlp.grpc.host-port=127.0.0.1:" + free[3],
        "--collector.http-server.host-port=127.0.0.1:" + free[4],
        "--collector.grpc-server.host-port=127.0.0.1:" + free[5],
        "--query.http-server.host-port=127.0.0.1:" + query,
        "--query.grpc-server.host-port=127.0.0.1:" + free[6],
        "--admin.http.host-port=127.0.0.1:" + admin))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    JaegerServer j = new JaegerServer(p, log, otlp, query);
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) throw new IllegalStateException("Jaeger exited: " + Files.readString(log));
      try {
        if (j.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return j;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    p.destroyForcibly();
    throw new IllegalStateException("Jaeger was not ready in 120 s: " + Files.readString(log));
  }

  /** The OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT). */
  public String otlpEndpoint() {
    return "http://127.0.0.1:" + otlp;
  }

  /** GET on the query API (e.g. /api/traces/ID, /api/traces?service=...); its JSON. */
  public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + query + pathAndQuery))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("Jaeger answered " + r.statusCode() + ": " + r.body());
    return JSON.readTree(r.body());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
    log.toFile().delete();
  }
}
