package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the pure function renders, applied to a real kube-apiserver with the upstream CRDs installed
 * (Strimzi KafkaTopic 0.51.0, the Spark operator's SparkApplication, Prometheus operator): every object must
 * pass the real schemas, exactly as in a cluster.
 */
class PipelineObjectsAcceptedByRealSchemasTest {

  private static KubeApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void apiServer() {
    server = KubeApiServer.shared();
    client = server.client();
    CrdInstaller.installAll(client);
  }

  private SentimentPipeline created(String namespace) {
    GenericKubernetesResource sample = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline").inNamespace(namespace)
        .resource(sample).create();
    return client.resources(SentimentPipeline.class).inNamespace(namespace).withName("northwind").get();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRenderedObjectPassesTheRealSchemas() {
    String namespace = server.createNamespace("render");
    SentimentPipeline pipeline = created(namespace);
    List<HasMetadata> objects = SentimentPipelineObjects.desired(pipeline,
        PipelineFixtures.inputs(PipelineFixtures.adapter(namespace, ModelAdapterStatus.Phase.Succeeded, "/adapters/x/1")));
    for (HasMetadata object : objects) {
      try {
        client.resource(object).fieldManager("pulse-test").forceConflicts().serverSideApply();
      } catch (KubernetesClientException e) {
        throw new AssertionError(object.getKind() + " " + object.getMetadata().getName() + " rejected: "
            + e.getMessage(), e);
      }
    }
    SparkApplication stored = client.resources(SparkApplication.class).inNamespace(namespace)
        .withName("northwind-stream").get();
    assertThat(stored.getSpec().getMainClass()).isEqualTo(SparkApplications.MAIN_CLASS);
    assertThat(stored.getSpec().getSparkConf()).containsEntry("spark.pulse.trigger.interval", "1s");
    // Nothing was pruned by the schema: what we set is what is stored.
    assertThat(stored.getSpec().getRestartPolicy().getType().getValue()).isEqualTo("Always");
    assertThat(stored.getSpec().getDriver().getTemplate().getSpec().getContainers().get(0).getSecurityContext()
        .getReadOnlyRootFilesystem()).isTrue();
    assertThat(stored.getSpec().getExecutor().getTemplate().getSpec().getVolumes())
        .anyMatch(v -> "tmp".equals(v.getName()) && v.getEmptyDir() != null);
    GenericKubernetesResource rule = client.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
        .inNamespace(namespace).withName("northwind-pulse").get();
    assertThat((List<?>) ((Map<?, ?>) rule.getAdditionalProperties().get("spec")).get("groups")).hasSize(2);
    // The Spark pods' PodMonitor: kept as written by the real schema (nothing pruned), selecting the labels both pod
    // templates carry, on the container port they declare.
    GenericKubernetesResource podMonitor = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
        .inNamespace(namespace).withName("northwind-pulse").get();
    Map<?, ?> spec = (Map<?, ?>) podMonitor.getAdditionalProperties().get("spec");
    assertThat((List<?>) spec.get("podMetricsEndpoints")).singleElement()
        .isEqualTo(Map.of("port", "metrics", "path", "/metrics", "interval", "30s"));
    Map<?, ?> matchLabels = (Map<?, ?>) ((Map<?, ?>) spec.get("selector")).get("matchLabels");
    Map<String, String> executorLabels = stored.getSpec().getExecutor().getLabels();
    assertThat(executorLabels).containsAllEntriesOf((Map<String, String>) matchLabels);
    assertThat(stored.getSpec().getDriver().getLabels()).containsAllEntriesOf((Map<String, String>) matchLabels);
    assertThat(stored.getSpec().getExecutor().getTemplate().getSpec().getContainers().get(0).getPorts())
        .anyMatch(port -> "metrics".equals(port.getName()));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theRealSparkCrdRejectsWhatItDoesNotKnow() {
    // Proves the check above can fail: the same object with a field the upstream schema lacks is refused.
    String namespace = server.createNamespace("render-bad");
    SentimentPipeline pipeline = created(namespace);
    SparkApplication app = SparkApplications.desired(pipeline, PipelineFixtures.inputs(null));
    // The generated model cannot hold a mode outside the upstream enum; the wire form can.
    GenericKubernetesResource wire = Serialization.unmarshal(Serialization.asJson(app), GenericKubernetesResource.class);
    ((Map<String, Object>) wire.getAdditionalProperties().get("spec")).put("mode", "standalone");
    try {
      client.resource(wire).fieldManager("pulse-test").serverSideApply();
      throw new AssertionError("an invalid mode was accepted");
    } catch (KubernetesClientException e) {
      assertThat(e.getCode()).isEqualTo(422);
      assertThat(e.getMessage()).contains("spec.mode");
    }
  }
}
