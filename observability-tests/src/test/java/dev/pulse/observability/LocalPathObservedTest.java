package dev.pulse.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.local.LocalRun;
import dev.pulse.operator.OperatorApplication;
import dev.pulse.operator.pipeline.PipelineNames;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.observe.JaegerServer;
import dev.pulse.tracing.PulseTracing;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Pulse observed as a user of {@code ./pulse local --observe} and a cluster's Prometheus would see it: the local path
 * (replay ingester, the stream core, the dashboard backend; LocalRun as ./pulse local starts it) and the operator
 * (against a real kube-apiserver, with the minimal samples applied) scraped every second by a real Prometheus that
 * evaluates the rules the operator generates for the local pipeline. Each target carries the labels a ServiceMonitor or
 * PodMonitor gives it in a cluster (namespace, service), so the rules select exactly as they would there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPathObservedTest {
  private static final String NAMESPACE = "local"; // LocalRun.NAMESPACE
  private static final String PIPELINE = "demo"; // LocalRun.PIPELINE
  private static final String OPERATOR_NAMESPACE = "pulse-system";

  private Path work;
  private LocalRun.Started local;
  private ConfigurableApplicationContext operator;
  private PrometheusServer prometheus;
  private SentimentPipeline pipeline;
  private Instant started;
  private KubernetesClient client;
  private JaegerServer jaeger;
  private String samples;

  @BeforeAll
  void start() throws Exception {
    Path bin = GoBinaries.prometheus();
    work = Files.createTempDirectory("pulse-observed-");
    pipeline = PulseRules.pipeline(NAMESPACE, PIPELINE, false);
    Path rules = PulseRules.write(pipeline, work.resolve("pulse-rules.yaml"));

    KubeApiServer server = KubeApiServer.shared();
    client = server.client();
    CrdInstaller.installAll(client);
    System.setProperty("kubeconfig", server.kubeconfig().toString());
    // This classpath also holds the dashboard; the operator reads its own operator.yaml (@ConfigName), not the
    // dashboard's settings, and keeps Spring Security off itself, as its image runs it.
    operator = SpringApplication.run(OperatorApplication.class, "--server.port=0");
    int operatorPort = Integer.parseInt(operator.getEnvironment().getProperty("local.server.port"));
    samples = server.createNamespace("observed");
    for (Path file : Samples.minimalFiles()) {
      for (GenericKubernetesResource r : Samples.load(file)) {
        client.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(samples).resource(r).create();
      }
    }

    // ./pulse local --no-embeddings (the lexicon tier: this test is about what is counted, and the lexicon leaves the
    // CPU to a busy machine), a faster replay and shorter windows, so the crisis episode (posts 2,400-3,300 of the
    // bundled feed) comes about 30 s in and its window closes a few seconds later.
    // Every post traced (the default samples 1 %), into a real Jaeger.
    jaeger = JaegerServer.start();
    System.setProperty(PulseTracing.ENDPOINT_PROPERTY, jaeger.otlpEndpoint());
    System.setProperty(PulseTracing.RATIO_PROPERTY, "1.0");
    started = Instant.now();
    local = new LocalRun(0, 80, null, 10, false, true, 5, false).start();
    LocalRun.Endpoints e = local.endpoints();
    assertThat(e.streamMetricsPort()).isPositive();

    List<PrometheusServer.Target> targets = List.of(
        new PrometheusServer.Target("pulse-ingester", "127.0.0.1:" + e.ingesterMetricsPort(), "/metrics",
            Map.of("namespace", NAMESPACE, "service", "demo-replay-metrics")),
        new PrometheusServer.Target("pulse-stream", "127.0.0.1:" + e.streamMetricsPort(), "/metrics",
            Map.of("namespace", NAMESPACE, "pod", PipelineNames.sparkApplication(pipeline) + "-driver")),
        new PrometheusServer.Target("pulse-dashboard", "127.0.0.1:" + e.dashboardPort(), "/actuator/prometheus",
            Map.of("namespace", NAMESPACE, "service", PipelineNames.dashboard(pipeline))),
        new PrometheusServer.Target("pulse-operator", "127.0.0.1:" + operatorPort, "/actuator/prometheus",
            Map.of("namespace", OPERATOR_NAMESPACE, "service", "pulse-operator")));
    prometheus = PrometheusServer.start(bin, targets, List.of(rules));
  }

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) prometheus.close();
    if (local != null) local.close();
    if (operator != null) operator.close();
    if (jaeger != null) jaeger.close();
    System.clearProperty("kubeconfig");
    System.clearProperty(PulseTracing.ENDPOINT_PROPERTY);
    System.clearProperty(PulseTracing.RATIO_PROPERTY);
  }

  @Test
  @Order(1)
  void everyComponentIsScrapedAndUp() {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      Map<String, String> health = new TreeMap<>();
      for (JsonNode t : prometheus.targets()) {
        health.put(t.path("labels").path("job").asText(), t.path("health").asText() + " " + t.path("lastError").asText());
      }
      assertThat(health).containsOnlyKeys("pulse-ingester", "pulse-stream", "pulse-dashboard", "pulse-operator");
      assertThat(health.values()).allSatisfy(h -> assertThat(h).startsWith("up"));
    });
  }

  @Test
  @Order(2)
  void theCrisisAlertRuleFiresDuringTheBundledCrisisEpisode() {
    // About 30 s on an idle machine; minutes when the machine is busy with other builds.
    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      List<String> firing = new ArrayList<>();
      for (JsonNode a : prometheus.alerts()) {
        if ("firing".equals(a.path("state").asText())) {
          firing.add(a.path("labels").path("alertname").asText() + "/" + a.path("labels").path("kind").asText());
        }
      }
      assertThat(firing).as("alerts firing %s s after the start", Duration.between(started, Instant.now()).toSeconds())
          .contains("PulseCrisisAlert/CRISIS");
    });
    JsonNode crisis = prometheus.query("pulse_alerts_total{namespace=\"local\",pipeline=\"demo\",kind=\"CRISIS\"}");
    assertThat(crisis.get(0).path("value").get(1).asDouble()).as("the stream core counted the CRISIS alert").isPositive();
    System.out.printf("observability: PulseCrisisAlert firing %d s after the local run started%n",
        Duration.between(started, Instant.now()).toSeconds());
  }

  @Test
  @Order(3)
  @SuppressWarnings("unchecked")
  void everyMetricTheRulesReadHasSeries() {
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> rule : PulseRules.rules(pipeline)) {
      names.addAll(PulseRules.metricNames((String) rule.get("expr")));
    }
    assertThat(names).contains("pulse_alerts_total", "pulse_dead_letters_total", "up");
    awaitSeries(names, "metrics the rules read that no component emits");
  }

  @Test
  @Order(4)
  void everyMetricTheDashboardsReadHasSeries() {
    Set<String> names = new TreeSet<>();
    for (Path file : Dashboards.files()) {
      Dashboards.queries(file).forEach(q -> names.addAll(PulseRules.metricNames(q.expr())));
    }
    assertThat(names).hasSizeGreaterThan(10);
    awaitSeries(names, "metrics the dashboards read that no component emits");
  }

  @Test
  @Order(5)
  void everyDashboardPanelQueryReturnsData() {
    List<Dashboards.Query> queries = new ArrayList<>();
    Dashboards.files().forEach(f -> queries.addAll(Dashboards.queries(f)));
    assertThat(queries).hasSizeGreaterThan(15);
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      List<String> empty = new ArrayList<>();
      for (Dashboards.Query q : queries) {
        String expr = Dashboards.resolve(q.expr(), ".*", PIPELINE);
        if (prometheus.query(expr).isEmpty()) {
          empty.add(q.dashboard() + " / " + q.panel() + " / " + q.refId() + ": " + expr);
        }
      }
      assertThat(empty).as("panel queries that returned no data").isEmpty();
    });
  }

  @Test
  @Order(6)
  @SuppressWarnings("unchecked")
  void theOperatorsServiceMonitorsSelectPulsesMetricsServicesByLabelAndPort() {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      List<GenericKubernetesResource> monitors = client.genericKubernetesResources("monitoring.coreos.com/v1",
          "ServiceMonitor").inNamespace(samples).list().getItems();
      List<Service> services = client.services().inNamespace(samples).list().getItems();
      assertThat(monitors).as("the minimal samples' feed and pipeline each own one").hasSize(2);
      Set<String> scraped = new TreeSet<>();
      for (GenericKubernetesResource m : monitors) {
        Map<String, Object> spec = (Map<String, Object>) m.getAdditionalProperties().get("spec");
        Map<String, String> match = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        List<String> ports = ((List<Map<String, Object>>) spec.get("endpoints")).stream()
            .map(e -> (String) e.get("port")).toList();
        for (Service s : services) {
          boolean selected = s.getMetadata().getLabels() != null
              && s.getMetadata().getLabels().entrySet().containsAll(match.entrySet());
          if (selected && s.getSpec().getPorts().stream().anyMatch(p -> ports.contains(p.getName()))) {
            scraped.add(s.getMetadata().getName());
          }
        }
      }
      List<String> metricsServices = services.stream()
          .filter(s -> s.getSpec().getPorts().stream().anyMatch(p -> List.of("metrics", "http").contains(p.getName())))
          .map(s -> s.getMetadata().getName()).toList();
      assertThat(metricsServices).as("the ingester's metrics Service and the dashboard's").hasSizeGreaterThanOrEqualTo(2);
      assertThat(scraped).as("Services a ServiceMonitor selects by label and port").containsAll(metricsServices);
    });
  }

  @Test
  @Order(7)
  void aPostsTraceRunsFromTheIngesterThroughScoringToTheDashboardInJaeger() {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      JsonNode traces = jaeger.get("/api/traces?service=pulse-dashboard&limit=20&lookback=1h").path("data");
      assertThat(traces.size()).as("traces with a dashboard push").isPositive();
      JsonNode trace = traces.get(0);
      Set<String> services = new TreeSet<>();
      trace.path("processes").forEach(p -> services.add(p.path("serviceName").asText()));
      assertThat(services).containsExactly("pulse-dashboard", "pulse-ingester", "pulse-stream");
      Map<String, String> feedBySpan = new TreeMap<>();
      for (JsonNode span : trace.path("spans")) {
        Map<String, String> tags = new TreeMap<>();
        span.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
        feedBySpan.put(span.path("operationName").asText(), tags.getOrDefault("pulse.feed", ""));
        assertThat(tags.toString()).as("no post text in a span").doesNotContain("text");
      }
      assertThat(feedBySpan).containsEntry("ingest", "demo-replay").containsEntry("score", "demo-replay")
          .containsKey("dashboard push");
    });
  }

  /** Some series appear only once a client has its partitions (Kafka's lag) or refreshes its meters (each minute). */
  private void awaitSeries(Set<String> names, String what) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(missingSeries(names)).as(what).isEmpty());
  }

  private List<String> missingSeries(Set<String> names) {
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (prometheus.query("count({__name__=\"" + name + "\"})").isEmpty()) {
        missing.add(name);
      }
    }
    return missing;
  }
}
