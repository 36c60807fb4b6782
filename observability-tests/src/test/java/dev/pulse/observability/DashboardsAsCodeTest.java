package dev.pulse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.pulse.testing.HelmBinary;
import dev.pulse.testing.K8sBinaries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards as code: each file's structure as Grafana's dashboard model (schemaVersion 39) requires it,
 * the files equal what hack/observability/dashboards.py writes, and the chart ships each as a ConfigMap Grafana's
 * sidecar loads. (Their queries are run against a real Prometheus in {@link LocalPathObservedTest}.)
 */
class DashboardsAsCodeTest {
  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "heatmap", "gauge", "table", "barchart");

  @Test
  void theChartShipsAnOverviewAndAnOperatorDashboard() {
    assertThat(Dashboards.files()).extracting(p -> p.getFileName().toString())
        .containsExactly("pulse-operator.json", "pulse-overview.json");
  }

  @Test
  void eachDashboardHasTheStructureGrafanaLoads() {
    for (Path file : Dashboards.files()) {
      JsonNode d = Dashboards.read(file);
      String name = file.getFileName().toString();
      assertThat(d.path("uid").asText()).as(name).matches("[a-zA-Z0-9_-]{1,40}");
      assertThat(d.path("title").asText()).as(name).startsWith("Pulse / ");
      assertThat(d.path("schemaVersion").asInt()).as(name).isGreaterThanOrEqualTo(36);
      assertThat(d.path("time").path("from").asText()).as(name).isNotBlank();
      List<String> variables = new ArrayList<>();
      d.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
      assertThat(variables).as(name).contains("datasource", "namespace");
      assertThat(d.path("templating").path("list").get(0).path("type").asText()).isEqualTo("datasource");

      Set<Integer> ids = new HashSet<>();
      List<int[]> boxes = new ArrayList<>();
      assertThat(d.path("panels").size()).as(name).isGreaterThanOrEqualTo(5);
      for (JsonNode p : d.path("panels")) {
        String panel = name + " / " + p.path("title").asText();
        assertThat(ids.add(p.path("id").asInt())).as(panel + ": unique id").isTrue();
        assertThat(p.path("type").asText()).as(panel).isIn(PANEL_TYPES);
        assertThat(p.path("title").asText()).as(panel).isNotBlank();
        assertThat(p.path("datasource").path("uid").asText()).as(panel).isEqualTo("${datasource}");
        JsonNode g = p.path("gridPos");
        int x = g.path("x").asInt(-1), y = g.path("y").asInt(-1), w = g.path("w").asInt(), h = g.path("h").asInt();
        assertThat(x).as(panel).isBetween(0, 23);
        assertThat(y).as(panel).isGreaterThanOrEqualTo(0);
        assertThat(w).as(panel).isBetween(1, 24 - x);
        assertThat(h).as(panel).isPositive();
        for (int[] b : boxes) {
          boolean overlap = x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
          assertThat(overlap).as(panel + " overlaps another panel").isFalse();
        }
        boxes.add(new int[] {x, y, w, h});
        Set<String> refIds = new HashSet<>();
        assertThat(p.path("targets").size()).as(panel).isPositive();
        for (JsonNode t : p.path("targets")) {
          assertThat(refIds.add(t.path("refId").asText())).as(panel + ": unique refId").isTrue();
          assertThat(t.path("expr").asText()).as(panel).isNotBlank();
          assertThat(PulseRules.metricNames(t.path("expr").asText())).as(panel + ": selects a metric").isNotEmpty();
        }
      }
    }
  }

  @Test
  void theFilesAreWhatTheGeneratorWrites(@TempDir Path out) throws Exception {
    Path script = K8sBinaries.repoRoot().resolve("hack/observability/dashboards.py");
    ProcessBuilder pb = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true);
    pb.environment().put("PULSE_DASHBOARDS_OUT", out.toString());
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(log).isZero();
    for (Path file : Dashboards.files()) {
      assertThat(Files.readString(out.resolve(file.getFileName()))).as(file + " is stale: run " + script)
          .isEqualTo(Files.readString(file));
    }
  }

  @Test
  void theChartShipsEachDashboardAsAConfigMapForGrafanasSidecarAndPassesMonitoringLabels() throws Exception {
    Path chart = K8sBinaries.repoRoot().resolve("charts/pulse-operator");
    HelmBinary.Result r = HelmBinary.helm("template", "pulse", chart.toString(), "--namespace", "pulse-system",
        "--kube-version", "1.34.0", "--set", "serviceMonitor.enabled=true", "--set", "serviceMonitor.labels.release=kps",
        "--set", "dashboards.annotations.grafana_folder=Pulse");
    assertThat(r.exitCode()).as(r.output()).isZero();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(r.output())) {
      docs.addAll(yaml.readValues(parser, JsonNode.class).readAll());
    }
    List<JsonNode> configMaps = docs.stream().filter(d -> d != null && "ConfigMap".equals(d.path("kind").asText()))
        .filter(d -> d.path("metadata").path("labels").has("grafana_dashboard")).toList();
    assertThat(configMaps).hasSameSizeAs(Dashboards.files());
    for (Path file : Dashboards.files()) {
      String key = file.getFileName().toString();
      JsonNode cm = configMaps.stream().filter(c -> c.path("data").has(key)).findFirst().orElseThrow();
      assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
      assertThat(cm.path("metadata").path("annotations").path("grafana_folder").asText()).isEqualTo("Pulse");
      assertThat(cm.path("metadata").path("namespace").asText()).isEqualTo("pulse-system");
      assertThat(new ObjectMapper().readTree(cm.path("data").path(key).asText()))
          .as(key + " in its ConfigMap").isEqualTo(Dashboards.read(file));
    }
    JsonNode monitor = docs.stream().filter(d -> d != null && "ServiceMonitor".equals(d.path("kind").asText()))
        .findFirst().orElseThrow();
    assertThat(monitor.path("metadata").path("labels").path("release").asText()).isEqualTo("kps");
    assertThat(r.output()).contains("name: PULSE_MONITORING_LABELS").contains("value: \"release=kps\"");
  }

  /** The chart's tracing values reach the operator's environment, which metrics/PodTracing passes to the pods. */
  @Test
  void theChartPassesTheTracingSettingsToTheOperator() throws Exception {
    Path chart = K8sBinaries.repoRoot().resolve("charts/pulse-operator");
    HelmBinary.Result off = HelmBinary.helm("template", "pulse", chart.toString(), "--kube-version", "1.34.0");
    assertThat(off.exitCode()).as(off.output()).isZero();
    assertThat(operatorEnv(off.output())).containsEntry("PULSE_TRACING_ENDPOINT", "")
        .containsEntry("PULSE_TRACING_SAMPLE_RATIO", "0.01");
    HelmBinary.Result on = HelmBinary.helm("template", "pulse", chart.toString(), "--kube-version", "1.34.0",
        "--set", "tracing.endpoint=http://jaeger-collector.observability:4318", "--set", "tracing.sampleRatio=0");
    assertThat(on.exitCode()).as(on.output()).isZero();
    assertThat(operatorEnv(on.output()))
        .containsEntry("PULSE_TRACING_ENDPOINT", "http://jaeger-collector.observability:4318")
        .as("0 is a ratio, not an unset value").containsEntry("PULSE_TRACING_SAMPLE_RATIO", "0");
  }

  private static java.util.Map<String, String> operatorEnv(String rendered) throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    try (YAMLParser parser = new YAMLFactory().createParser(rendered)) {
      for (JsonNode d : yaml.readValues(parser, JsonNode.class).readAll()) {
        if (d == null || !"Deployment".equals(d.path("kind").asText())) continue;
        d.path("spec").path("template").path("spec").path("containers").path(0).path("env")
            .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
      }
    }
    return env;
  }
}
