package dev.pulse.local.observe;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./pulse local --observe}: a real Prometheus beside the local run (the binary hack/observability/
 * build-prometheus.sh builds and caches), scraping the ingester, the stream core and the dashboard every 2 s, with the
 * rules the operator generates for the local pipeline loaded ({@code observe/pulse-rules.yaml}, checked against the
 * operator's output by the observability tests). Each target carries the labels a ServiceMonitor gives it in a
 * cluster (namespace, service), so the rules select as they would there.
 */
public final class Observer implements AutoCloseable {
  private final Process prometheus;
  private final Path dir;
  private final int port;

  private Observer(Process prometheus, Path dir, int port) {
    this.prometheus = prometheus;
    this.dir = dir;
    this.port = port;
  }

  /** The local run's endpoints to scrape (a port at -1 is not served and left out). */
  public record Targets(int dashboardPort, int ingesterMetricsPort, int streamMetricsPort) {}

  /** The scrape configuration for the run's endpoints. */
  static String config(Targets e, String namespace, String pipeline, Path rules) {
    StringBuilder y = new StringBuilder();
    y.append("global:\n  scrape_interval: 2s\n  scrape_timeout: 2s\n  evaluation_interval: 2s\n");
    y.append("rule_files:\n  - ").append(rules).append('\n');
    y.append("scrape_configs:\n");
    job(y, "pulse-ingester", e.ingesterMetricsPort(), "/metrics", namespace, "service", "demo-replay-metrics");
    job(y, "pulse-stream", e.streamMetricsPort(), "/metrics", namespace, "pod", pipeline + "-stream-driver");
    job(y, "pulse-dashboard", e.dashboardPort(), "/actuator/prometheus", namespace, "service", pipeline + "-dashboard");
    return y.toString();
  }

  private static void job(StringBuilder y, String name, int port, String path, String namespace, String key,
      String value) {
    if (port <= 0) return;
    y.append("  - job_name: ").append(name).append('\n')
        .append("    metrics_path: ").append(path).append('\n')
        .append("    static_configs:\n      - targets: ['127.0.0.1:").append(port).append("']\n")
        .append("        labels: {namespace: ").append(namespace).append(", ").append(key).append(": ")
        .append(value).append("}\n");
  }

  /** Builds (first time: minutes) or finds Prometheus, starts it on {@code port} and waits until it is ready. */
  public static Observer start(Path repoRoot, Targets endpoints, String namespace, String pipeline,
      int port) throws IOException, InterruptedException {
    Path bin = build(repoRoot.resolve("hack/observability/build-prometheus.sh"));
    Path dir = Files.createTempDirectory("pulse-observe-");
    Path rules = dir.resolve("pulse-rules.yaml");
    try (InputStream in = Observer.class.getResourceAsStream("/observe/pulse-rules.yaml")) {
      if (in == null) throw new IllegalStateException("observe/pulse-rules.yaml is missing from the classpath");
      Files.copy(in, rules, StandardCopyOption.REPLACE_EXISTING);
    }
    Path config = Files.writeString(dir.resolve("prometheus.yml"), config(endpoints, namespace, pipeline, rules));
    Process p = new ProcessBuilder(bin.resolve("prometheus").toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    Observer o = new Observer(p, dir, port);
    o.awaitReady();
    return o;
  }

  private static Path build(Path script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(script + " failed; see its output above");
    }
    List<String> lines = out.lines().toList();
    return Path.of(lines.get(lines.size() - 1));
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      if (!prometheus.isAlive()) {
        throw new IllegalStateException("Prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      try {
        if (http.send(HttpRequest.newBuilder(url().resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("Prometheus was not ready in 60 s: " + Files.readString(dir.resolve("prometheus.log")));
  }

  public URI url() {
    return URI.create("http://localhost:" + port);
  }

  /** Whether this Prometheus serves its web UI (the UI build, PULSE_PROMETHEUS_DIR) or only its API. */
  private boolean servesWebUi() {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url().resolve("/alerts"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("<div id=\"root\""); // the UI's React root
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The lines the console prints: where to look. */
  public List<String> urls() {
    return List.of(
        servesWebUi()
            ? "Prometheus " + url() + "/alerts  (its web UI: hack/observability/build-prometheus-ui.sh's build)"
            : "Prometheus " + url() + "  (API only: this build has no web UI; see hack/observability/README.md)",
        "  alerts   " + url() + "/api/v1/alerts   (PulseCrisisAlert fires during the crisis episode)",
        "  rules    " + url() + "/api/v1/rules",
        "  targets  " + url() + "/api/v1/targets",
        "  query    " + url() + "/api/v1/query?query=sum%20by%20(label)%20(rate(pulse_posts_scored_total[1m]))");
  }

  @Override
  public void close() throws Exception {
    prometheus.destroy();
    if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
      prometheus.destroyForcibly();
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
