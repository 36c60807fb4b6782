package dev.pulse.local.observe;

import dev.pulse.testsupport.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./pulse local --observe}'s Jaeger: all-in-one (OTLP/HTTP receiver, in-memory storage, query API) built and
 * cached by hack/observability/build-jaeger.sh, on 127.0.0.1 with the query API on {@code queryPort} and OTLP/HTTP on
 * {@code otlpPort}; its other listeners on free ports.
 */
public final class JaegerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int otlpPort;
  private final int queryPort;

  private JaegerProcess(Process process, Path log, int otlpPort, int queryPort) {
    this.process = process;
    this.log = log;
    this.otlpPort = otlpPort;
    this.queryPort = queryPort;
  }

  public static JaegerProcess start(Path repoRoot, int queryPort, int otlpPort) throws IOException,
      InterruptedException {
    Path script = repoRoot.resolve("hack/observability/build-jaeger.sh");
    Process build = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().lines().toList();
    if (!build.waitFor(40, TimeUnit.MINUTES) || build.exitValue() != 0 || out.isEmpty()) {
      throw new IllegalStateException(script + " failed; see its output above");
    }
    Path bin = Path.of(out.get(out.size() - 1)).resolve("jaeger-all-in-one");
    int[] free = FreePorts.distinct(5);
    int admin = free[0];
    Path log = Files.createTempFile("pulse-jaeger", ".log");
    Process p = new ProcessBuilder(bin.toString(),
        "--collector.otlp.http.host-port=127.0.0.1:" + otlpPort,
        "--collector.otlp.grpc.host-port=127.0.0.1:" + free[1],
        "--collector.http-server.host-port=127.0.0.1:" + free[2],
        "--collector.grpc-server.host-port=127.0.0.1:" + free[3],
        "--query.http-server.host-port=127.0.0.1:" + queryPort,
        "--query.grpc-server.host-port=127.0.0.1:" + free[4],
        "--admin.http.host-port=127.0.0.1:" + admin)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) throw new IllegalStateException("Jaeger exited: " + Files.readString(log));
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return new JaegerProcess(p, log, otlpPort, queryPort);
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    p.destroyForcibly();
    throw new IllegalStateException("Jaeger was not ready in 60 s: " + Files.readString(log));
  }

  /** What the components export to (OTEL_EXPORTER_OTLP_ENDPOINT). */
  public String otlpEndpoint() {
    return "http://127.0.0.1:" + otlpPort;
  }

  public List<String> urls() {
    String q = "http://localhost:" + queryPort;
    return List.of(
        "Jaeger     " + q + "  (query API; this build's web UI is Jaeger's placeholder page)",
        "  traces   " + q + "/api/traces?service=pulse-dashboard&limit=5   (ingest → score → dashboard push)");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    log.toFile().delete();
  }
}
