package dev.pulse.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.testing.K8sBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Grafana dashboards the chart ships (charts/pulse-operator/dashboards/*.json) and their panels' queries. */
final class Dashboards {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Query(String dashboard, String panel, String refId, String expr) {}

  private Dashboards() {}

  static Path dir() {
    return K8sBinaries.repoRoot().resolve("charts/pulse-operator/dashboards");
  }

  static List<Path> files() {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static List<Query> queries(Path file) {
    JsonNode d = read(file);
    List<Query> out = new ArrayList<>();
    for (JsonNode panel : d.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        out.add(new Query(d.path("uid").asText(), panel.path("title").asText(), t.path("refId").asText(),
            t.path("expr").asText()));
      }
    }
    return out;
  }

  /**
   * The query as Grafana sends it for one pipeline: template variables replaced by what Grafana would put there
   * ($__rate_interval at least four scrape intervals; Pulse's tests scrape every second).
   */
  static String resolve(String expr, String namespace, String pipeline) {
    return expr.replace("$__rate_interval", "30s").replace("$__range", "5m").replace("$__interval", "5s")
        .replace("$namespace", namespace).replace("$pipeline", pipeline);
  }
}
