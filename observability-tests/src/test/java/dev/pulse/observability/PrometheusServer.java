package dev.pulse.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus server as a child process: a config of static scrape targets (each with the labels a
 * ServiceMonitor or PodMonitor would give it in a cluster: namespace, service, pod) and rule files, scraping and
 * evaluating every second; queried over its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One scrape target: a job name, host:port, the metrics path and the target's labels. */
  record Target(String job, String address, String path, Map<String, String> labels) {}

  private final Process process;
  private final URI base;
  private final Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, URI base, Path dir) {
    this.process = process;
    this.base = base;
    this.dir = dir;
  }

  /** The configuration file's content, as Prometheus reads it. */
  static Map<String, Object> config(List<Target> targets, List<Path> ruleFiles) {
    Map<String, Object> global = new LinkedHashMap<>();
    global.put("scrape_interval", "1s");
    global.put("scrape_timeout", "1s");
    global.put("evaluation_interval", "1s");
    List<Object> jobs = new ArrayList<>();
    for (Target t : targets) {
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("job_name", t.job());
      job.put("metrics_path", t.path());
      job.put("static_configs", List.of(Map.of("targets", List.of(t.address()), "labels", t.labels())));
      jobs.add(job);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("global", global);
    config.put("rule_files", ruleFiles.stream().map(Path::toString).toList());
    config.put("scrape_configs", jobs);
    return config;
  }

  static PrometheusServer start(Path binDir, List<Target> targets, List<Path> ruleFiles) throws IOException {
    Path dir = Files.createTempDirectory("pulse-prometheus-");
    Path config = dir.resolve("prometheus.yml");
    YAML.writeValue(config.toFile(), config(targets, ruleFiles));
    int port = freePort();
    Process p = new ProcessBuilder(binDir.resolve("prometheus").toString(),
        "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=1h", "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(p, URI.create("http://127.0.0.1:" + port), dir);
    server.awaitReady();
    return server;
  }

  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Prometheus exited with " + process.exitValue() + ": " + log());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(250);
    }
    throw new IllegalStateException("Prometheus was not ready within 120 s: " + log());
  }

  URI url() {
    return base;
  }

  String log() throws IOException {
    Path log = dir.resolve("prometheus.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** GET /api/v1/PATH?params; the {@code data} member of a successful answer. */
  JsonNode api(String path, Map<String, String> params) {
    StringBuilder q = new StringBuilder();
    params.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/" + path + q)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new IllegalStateException("Prometheus answered " + r.statusCode() + " to " + path + q + ": " + r.body());
      }
      return body.path("data");
    } catch (IOException e) {
      throw new IllegalStateException("cannot ask Prometheus " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An instant query's result vector (or matrix/scalar as Prometheus returns it). */
  JsonNode query(String promql) {
    return api("query", Map.of("query", promql)).path("result");
  }

  /** The state of every alert now (inactive ones are not listed). */
  JsonNode alerts() {
    return api("alerts", Map.of()).path("alerts");
  }

  JsonNode targets() {
    return api("targets", Map.of()).path("activeTargets");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(java.time.Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
