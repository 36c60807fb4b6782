package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pulse.contract.TracingOptions;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.pipeline.SparkSpec;
import dev.pulse.operator.feed.SourceFeedObjects;
import dev.pulse.operator.metrics.PodTracing;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every pod the operator creates that runs Pulse's code gets the tracing settings of the contract (OTLP endpoint,
 * sample ratio): the ingester, the Spark driver and executors of both launchers, the gateway, the dashboard. The test
 * walks every container of every object the operator renders (Deployments, the SparkApplication's templates, the
 * executor pod template in the native launcher's ConfigMap), so a new workload without them fails here.
 */
class TracingEnvTest {
  private static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String ENDPOINT = "http://jaeger-collector.observability:4318";
  /** The LLM servers run no Pulse code and their stock images have no OTLP exporter. */
  private static final List<String> NOT_TRACED = List.of("vllm", "llamacpp");

  private static RenderInputs inputs(boolean sparkOperator) {
    return new RenderInputs(null, List.of("pulse.feed.brands.a"), null, RenderInputs.MonitoringSupport.ALL, 1,
        sparkOperator);
  }

  /** Container name → its env, for every container of every pod spec found in the objects. */
  private static Map<String, List<EnvVar>> containers(List<HasMetadata> objects) throws Exception {
    Map<String, List<EnvVar>> out = new LinkedHashMap<>();
    for (HasMetadata o : objects) {
      JsonNode tree = JSON.readTree(K8S.asJson(o));
      collect(o.getKind() + "/" + o.getMetadata().getName(), tree, out);
      if (o instanceof ConfigMap cm && cm.getData() != null) {
        for (var e : cm.getData().entrySet()) {
          if (e.getValue().contains("containers:")) {
            collect("ConfigMap/" + o.getMetadata().getName() + "/" + e.getKey(), YAML.readTree(e.getValue()), out);
          }
        }
      }
    }
    return out;
  }

  private static void collect(String where, JsonNode node, Map<String, List<EnvVar>> out) {
    if (node.isObject()) {
      JsonNode containers = node.get("containers");
      if (containers != null && containers.isArray()) {
        for (JsonNode c : containers) {
          List<EnvVar> env = new ArrayList<>();
          c.path("env").forEach(e -> env.add(JSON.convertValue(e, EnvVar.class)));
          out.put(where + ":" + c.path("name").asText(), env);
        }
      }
      node.fields().forEachRemaining(f -> collect(where, f.getValue(), out));
    } else if (node.isArray()) {
      node.forEach(n -> collect(where, n, out));
    }
  }

  private static Map<String, String> tracingEnv(List<EnvVar> env) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvVar e : env) {
      if (TracingOptions.ALL.stream().anyMatch(o -> o.key().equals(e.getName()))) out.put(e.getName(), e.getValue());
    }
    return out;
  }

  private static SentimentPipeline traced(String ratio) {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    p.getSpec().getSpark().setCheckpointLocation(null);
    if (p.getMetadata().getAnnotations() == null) p.getMetadata().setAnnotations(new LinkedHashMap<>());
    p.getMetadata().getAnnotations().put(PodTracing.ENDPOINT_ANNOTATION, ENDPOINT);
    if (ratio != null) p.getMetadata().getAnnotations().put(PodTracing.RATIO_ANNOTATION, ratio);
    return p;
  }

  private static boolean llmServer(String container) {
    return NOT_TRACED.stream().anyMatch(n -> container.endsWith(":" + n));
  }

  @Test
  void everyPulseContainerOfBothLaunchersGetsTheEndpointAndTheLowDefaultRatio() throws Exception {
    for (boolean sparkOperator : List.of(true, false)) {
      SentimentPipeline p = traced(null);
      p.getSpec().getSpark().setLauncher(sparkOperator ? SparkSpec.Launcher.SparkOperator : SparkSpec.Launcher.Native);
      Map<String, List<EnvVar>> containers = containers(SentimentPipelineObjects.desired(p, inputs(sparkOperator)));
      // Driver and executors, the gateway, the dashboard, and the LLM server that gets none.
      assertThat(containers.keySet()).as("launcher %s", p.getSpec().getSpark().getLauncher())
          .anyMatch(c -> c.contains("driver")).anyMatch(c -> c.contains("executor"))
          .anyMatch(c -> c.contains("llm-gateway")).anyMatch(c -> c.contains("dashboard"))
          .anyMatch(TracingEnvTest::llmServer);
      containers.forEach((name, env) -> {
        if (llmServer(name)) {
          assertThat(tracingEnv(env)).as(name).isEmpty();
        } else {
          assertThat(tracingEnv(env)).as(name).containsExactly(
              Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT), Map.entry("PULSE_TRACE_SAMPLE_RATIO", "0.01"));
        }
      });
    }
  }

  @Test
  void theIngesterGetsItsFeedsSettings() throws Exception {
    SourceFeed feed = K8S.convertValue(Samples.first("sourcefeed-replay.yaml", "SourceFeed"), SourceFeed.class);
    feed.getMetadata().setNamespace("brands");
    assertThat(containers(SourceFeedObjects.desired(feed, dev.pulse.operator.support.PulseImages.defaults())).values()).isNotEmpty()
        .allSatisfy(env -> assertThat(tracingEnv(env)).isEmpty());
    if (feed.getMetadata().getAnnotations() == null) feed.getMetadata().setAnnotations(new LinkedHashMap<>());
    feed.getMetadata().getAnnotations().put(PodTracing.ENDPOINT_ANNOTATION, ENDPOINT);
    feed.getMetadata().getAnnotations().put(PodTracing.RATIO_ANNOTATION, "0.25");
    Map<String, List<EnvVar>> containers = containers(SourceFeedObjects.desired(feed, dev.pulse.operator.support.PulseImages.defaults()));
    assertThat(containers).isNotEmpty();
    containers.forEach((name, env) -> assertThat(tracingEnv(env)).as(name).containsExactly(
        Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT), Map.entry("PULSE_TRACE_SAMPLE_RATIO", "0.25")));
  }

  @Test
  void withoutAnEndpointNoPodChanges() throws Exception {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    p.getSpec().getSpark().setCheckpointLocation(null);
    assertThat(containers(SentimentPipelineObjects.desired(p, inputs(false))).values())
        .allSatisfy(env -> assertThat(tracingEnv(env)).isEmpty());
  }

  @Test
  void theOperatorsDefaultsApplyAndTheAnnotationsWin() {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    Map<String, String> operatorEnv = Map.of(PodTracing.ENDPOINT_ENV, "http://otel.monitoring:4318",
        PodTracing.RATIO_ENV, "0.05");
    assertThat(PodTracing.env(p, operatorEnv)).extracting(EnvVar::getName, EnvVar::getValue).containsExactly(
        org.assertj.core.groups.Tuple.tuple("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel.monitoring:4318"),
        org.assertj.core.groups.Tuple.tuple("PULSE_TRACE_SAMPLE_RATIO", "0.05"));
    if (p.getMetadata().getAnnotations() == null) p.getMetadata().setAnnotations(new LinkedHashMap<>());
    p.getMetadata().getAnnotations().put(PodTracing.RATIO_ANNOTATION, "1");
    assertThat(PodTracing.env(p, operatorEnv)).extracting(EnvVar::getValue)
        .containsExactly("http://otel.monitoring:4318", "1");
    // A ratio or endpoint the contract refuses is left out (logged): the operator's default then applies.
    p.getMetadata().getAnnotations().put(PodTracing.RATIO_ANNOTATION, "1.5");
    p.getMetadata().getAnnotations().put(PodTracing.ENDPOINT_ANNOTATION, "jaeger:4318");
    assertThat(PodTracing.env(p, operatorEnv)).extracting(EnvVar::getValue)
        .containsExactly("http://otel.monitoring:4318", "0.05");
    assertThat(PodTracing.env(p, Map.of(PodTracing.RATIO_ENV, "0.5"))).as("no endpoint anywhere").isEmpty();
  }
}
