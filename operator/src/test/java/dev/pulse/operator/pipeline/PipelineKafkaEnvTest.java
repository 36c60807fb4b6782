package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.contract.KafkaClientEnv;
import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.feed.KafkaSasl;
import dev.pulse.crd.v1alpha1.feed.KafkaSecurity;
import dev.pulse.crd.v1alpha1.pipeline.SparkSpec;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.kafka.security reaches the pipeline's own Kafka clients as {@link KafkaClientEnv}'s variables: the Spark driver
 * and executors of both launchers and the dashboard, the CA and the password only as secretKeyRefs. Without it, or on
 * a Strimzi cluster, not one variable is added, so the rendered objects of existing pipelines stay the same.
 */
class PipelineKafkaEnvTest {

  static SecretKeyRef ref(String name, String key) {
    SecretKeyRef r = new SecretKeyRef();
    r.setName(name);
    r.setKey(key);
    return r;
  }

  /** The sample on a Kafka by bootstrap servers with SASL over TLS, CA and password from Secrets. */
  static SentimentPipeline saslSsl(String namespace, SparkSpec.Launcher launcher) {
    SentimentPipeline p = PipelineFixtures.northwind(namespace);
    p.getSpec().getKafka().setClusterName(null);
    p.getSpec().getKafka().setBootstrapServers("kafka.example.com:9093");
    KafkaSecurity security = new KafkaSecurity();
    security.setProtocol(KafkaSecurity.Protocol.SASL_SSL);
    security.setCaSecret(ref("kafka-ca", null));
    KafkaSasl sasl = new KafkaSasl();
    sasl.setUsername("pulse-stream");
    sasl.setPasswordSecret(ref("pulse-stream-user", "pw"));
    security.setSasl(sasl);
    p.getSpec().getKafka().setSecurity(security);
    p.getSpec().getSpark().setLauncher(launcher);
    return p;
  }

  /** The containers of the Deployments and of the native launcher's executor pod template. */
  static Map<String, Container> containers(List<HasMetadata> objects) {
    Map<String, Container> out = new LinkedHashMap<>();
    for (HasMetadata o : objects) {
      List<Container> cs = new ArrayList<>();
      if (o instanceof Deployment d) {
        cs.addAll(d.getSpec().getTemplate().getSpec().getContainers());
      } else if (o instanceof ConfigMap c && c.getData() != null
          && c.getData().containsKey(SparkDriver.EXECUTOR_TEMPLATE)) {
        cs.addAll(Serialization.unmarshal(c.getData().get(SparkDriver.EXECUTOR_TEMPLATE), Pod.class)
            .getSpec().getContainers());
      }
      cs.forEach(c -> out.put(o.getKind() + "/" + o.getMetadata().getName() + "/" + c.getName(), c));
    }
    return out;
  }

  static Map<String, EnvVar> kafkaVars(Container c) {
    Map<String, EnvVar> out = new LinkedHashMap<>();
    if (c.getEnv() != null) {
      c.getEnv().stream().filter(e -> e.getName().startsWith("PULSE_KAFKA_")).forEach(e -> out.put(e.getName(), e));
    }
    return out;
  }

  static void assertSaslSsl(String where, Map<String, EnvVar> vars) {
    assertThat(vars.keySet()).as(where).containsExactlyElementsOf(KafkaClientEnv.ALL);
    assertThat(vars.get(KafkaClientEnv.PROTOCOL).getValue()).isEqualTo("SASL_SSL");
    assertThat(vars.get(KafkaClientEnv.SASL_MECHANISM).getValue()).isEqualTo("SCRAM-SHA-512");
    assertThat(vars.get(KafkaClientEnv.SASL_USERNAME).getValue()).isEqualTo("pulse-stream");
    EnvVar ca = vars.get(KafkaClientEnv.CA_CERTIFICATES);
    assertThat(ca.getValue()).isNull();
    assertThat(ca.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kafka-ca");
    assertThat(ca.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("ca.crt");
    EnvVar password = vars.get(KafkaClientEnv.SASL_PASSWORD);
    assertThat(password.getValue()).isNull();
    assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pulse-stream-user");
    assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pw");
  }

  @Test
  void nativeDriverExecutorsAndDashboardGetTheSettingsFromSecrets() {
    SentimentPipeline p = saslSsl("team-a", SparkSpec.Launcher.Native);
    Map<String, Container> containers = containers(SentimentPipelineObjects.desired(p, PipelineFixtures.inputs(null)));
    List<String> clients = List.of("Deployment/" + SparkDriver.name(p) + "/", "ConfigMap/" + SparkDriver.confName(p)
        + "/", "Deployment/" + PipelineNames.dashboard(p) + "/");
    for (String client : clients) {
      List<String> matching = containers.keySet().stream().filter(k -> k.startsWith(client)).toList();
      assertThat(matching).as(client).hasSize(1);
      assertSaslSsl(matching.get(0), kafkaVars(containers.get(matching.get(0))));
    }
    // The gateway and the vLLM server speak no Kafka: they get nothing.
    containers.forEach((k, c) -> {
      if (clients.stream().noneMatch(k::startsWith)) {
        assertThat(kafkaVars(c)).as(k).isEmpty();
      }
    });
  }

  @Test
  void theSparkApplicationsDriverAndExecutorTemplatesGetTheSettingsFromSecrets() {
    SentimentPipeline p = saslSsl("team-a", SparkSpec.Launcher.SparkOperator);
    List<HasMetadata> objects = SentimentPipelineObjects.desired(p, PipelineFixtures.inputs(null));
    SparkApplication app = objects.stream().filter(SparkApplication.class::isInstance)
        .map(SparkApplication.class::cast).findFirst().orElseThrow();
    String yaml = Serialization.asYaml(app);
    // Once in the driver's template and once in the executors'.
    assertThat(yaml.split(KafkaClientEnv.SASL_PASSWORD, -1).length - 1).isEqualTo(2);
    for (String role : List.of("driver", "executor")) {
      assertSaslSsl(role, kafkaVars(SparkApplications.template(p, role).getSpec().getContainers().get(0)));
    }
    assertThat(yaml).doesNotContain("secretKeyRef: null");
  }

  @Test
  void withoutSecurityOrOnStrimziNothingIsAdded() {
    for (SparkSpec.Launcher launcher : SparkSpec.Launcher.values()) {
      SentimentPipeline plain = PipelineFixtures.northwind("team-a");
      plain.getSpec().getSpark().setLauncher(launcher);
      List<HasMetadata> objects = SentimentPipelineObjects.desired(plain, PipelineFixtures.inputs(null));
      containers(objects).forEach((k, c) -> assertThat(kafkaVars(c)).as(k).isEmpty());
      assertThat(Serialization.asYaml(objects)).doesNotContain("PULSE_KAFKA_");
    }
    assertThat(PipelineKafkaEnv.env(PipelineFixtures.northwind("team-a"))).isEmpty();
  }

  @Test
  void tlsWithoutACaGivesOnlyTheProtocol() {
    SentimentPipeline p = saslSsl("team-a", SparkSpec.Launcher.Native);
    p.getSpec().getKafka().getSecurity().setSasl(null);
    p.getSpec().getKafka().getSecurity().setCaSecret(null);
    p.getSpec().getKafka().getSecurity().setProtocol(KafkaSecurity.Protocol.SSL);
    assertThat(PipelineKafkaEnv.env(p)).extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(KafkaClientEnv.PROTOCOL, "SSL"));
  }
}
