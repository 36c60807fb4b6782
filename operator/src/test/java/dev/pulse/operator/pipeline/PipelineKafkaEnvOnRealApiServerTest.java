package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.contract.KafkaClientEnv;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.SparkSpec;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * spec.kafka.security of a SentimentPipeline on a real kube-apiserver: the generated CRD takes the feed's shape (and
 * refuses it for a Strimzi cluster); the Deployments and the SparkApplication rendered from it are accepted by the
 * API server's own schemas and stored with the PULSE_KAFKA_* variables as rendered, credentials as secretKeyRefs.
 */
class PipelineKafkaEnvOnRealApiServerTest {
  private static KubeApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void apiServer() {
    server = KubeApiServer.shared();
    client = server.client();
    CrdInstaller.installAll(client);
  }

  private static GenericKubernetesResource generic(SentimentPipeline p) {
    return Serialization.unmarshal(Serialization.asJson(p), GenericKubernetesResource.class);
  }

  @Test
  void theCrdTakesThePipelinesSecurityAndTheRenderedPodsAreStoredAsRendered() {
    String ns = server.createNamespace("pipeline-kafka-env");
    SentimentPipeline p = PipelineKafkaEnvTest.saslSsl(ns, SparkSpec.Launcher.Native);
    p.getMetadata().setUid(null);
    p.getMetadata().setResourceVersion(null);
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline").inNamespace(ns)
        .resource(generic(p)).fieldValidation(Validation.STRICT).create();
    SentimentPipeline stored = client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").get();
    assertThat(stored.getSpec().getKafka().getSecurity().getSasl().getMechanism().kafkaName())
        .as("defaulted by the CRD").isEqualTo("SCRAM-SHA-512");
    assertThat(stored.getSpec().getKafka().getSecurity().getCaSecret().getName()).isEqualTo("kafka-ca");

    for (SparkSpec.Launcher launcher : SparkSpec.Launcher.values()) {
      stored.getSpec().getSpark().setLauncher(launcher);
      List<HasMetadata> objects = SentimentPipelineObjects.desired(stored, PipelineFixtures.inputs(null));
      int checked = 0;
      for (HasMetadata o : objects) {
        if (o instanceof Deployment d && !PipelineKafkaEnvTest.containers(List.of(d)).values().stream()
            .allMatch(c -> PipelineKafkaEnvTest.kafkaVars(c).isEmpty())) {
          client.resource(d).fieldManager("pulse-operator").forceConflicts().serverSideApply();
          Deployment back = client.apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).get();
          PipelineKafkaEnvTest.containers(List.of(back)).forEach((k, c) -> {
            if (!PipelineKafkaEnvTest.kafkaVars(c).isEmpty()) {
              PipelineKafkaEnvTest.assertSaslSsl(k, PipelineKafkaEnvTest.kafkaVars(c));
            }
          });
          checked++;
        } else if (o instanceof SparkApplication a) {
          client.resource(a).fieldManager("pulse-operator").forceConflicts().serverSideApply();
          GenericKubernetesResource back = client.genericKubernetesResources("sparkoperator.k8s.io/v1beta2",
              "SparkApplication").inNamespace(ns).withName(a.getMetadata().getName()).get();
          String yaml = Serialization.asYaml(back);
          assertThat(yaml.split(KafkaClientEnv.SASL_PASSWORD, -1).length - 1).as("driver and executor").isEqualTo(2);
          assertThat(yaml.split("pulse-stream-user", -1).length - 1).as("the password Secret, by name").isEqualTo(2);
          checked++;
        }
      }
      // Native: the driver and the dashboard Deployments; SparkOperator: the SparkApplication and the dashboard.
      assertThat(checked).as(launcher.name()).isEqualTo(2);
    }
  }

  @Test
  void securityForAStrimziClusterIsRefused() {
    String ns = server.createNamespace("pipeline-kafka-strimzi");
    SentimentPipeline p = PipelineKafkaEnvTest.saslSsl(ns, SparkSpec.Launcher.Native);
    p.getMetadata().setUid(null);
    p.getSpec().getKafka().setBootstrapServers(null);
    p.getSpec().getKafka().setClusterName("pulse-kafka");
    assertThatThrownBy(() -> client.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline")
        .inNamespace(ns).resource(generic(p)).fieldValidation(Validation.STRICT).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("kafka.security applies to kafka.bootstrapServers");
    // An inline password has no field to go to.
    GenericKubernetesResource inline = generic(PipelineKafkaEnvTest.saslSsl(ns, SparkSpec.Launcher.Native));
    inline.getMetadata().setUid(null);
    @SuppressWarnings("unchecked")
    Map<String, Object> sasl = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
        inline.getAdditionalProperties().get("spec")).get("kafka")).get("security")).get("sasl");
    sasl.put("password", "hunter2");
    assertThatThrownBy(() -> client.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline")
        .inNamespace(ns).resource(inline).fieldValidation(Validation.STRICT).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.kafka.security.sasl.password");
  }
}
