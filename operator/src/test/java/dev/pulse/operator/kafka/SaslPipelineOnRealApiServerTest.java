package dev.pulse.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pulse.contract.KafkaClientEnv;
import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.kafka.SaslKafka;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A SentimentPipeline on a Kafka that requires SASL, against the real kube-apiserver and a real SASL broker: with its
 * password Secret missing the Topics condition names the Secret; once it exists the operator's Admin client
 * authenticates and makes the four output topics, and the dashboard gets the PULSE_KAFKA_* variables, the password as
 * a secretKeyRef. The password is in no status, Event, Deployment or log line.
 */
class SaslPipelineOnRealApiServerTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static KafkaTopicAdmin admin;
  private static RunningOperator operator;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    SaslKafka.shared();
    admin = new KafkaTopicAdmin(java.time.Clock.systemUTC(), Duration.ofSeconds(5));
    operator = RunningOperator.start(new SentimentPipelineReconciler(PulseImages.defaults(), Duration.ofSeconds(2),
        admin));
    client = operator.testClient();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    admin.close();
  }

  @Test
  void theOutputTopicsAndTheDashboardUseThePasswordFromItsSecretAndNeverShowIt() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      String ns = operator.server().createNamespace("sasl-pipeline");
      GenericKubernetesResource p = Samples.first("minimal/sentimentpipeline.yaml", "SentimentPipeline");
      Samples.with(p, "spec.kafka.bootstrapServers", SaslKafka.shared().bootstrapServers());
      Samples.with(p, "spec.kafka.security", Map.of("protocol", "SASL_PLAINTEXT", "sasl", Map.of(
          "mechanism", "PLAIN", "username", SaslKafka.USER, "passwordSecret", Map.of("name", "kafka-user"))));
      Samples.with(p, "spec.spark.launcher", "Native");
      client.genericKubernetesResources(p.getApiVersion(), p.getKind()).inNamespace(ns).resource(p).create();
      String name = p.getMetadata().getName();

      SentimentPipeline missing = awaitTopics(ns, name, "SecretMissing");
      assertThat(missing.getStatus().condition("Topics").orElseThrow().getMessage()).contains("kafka-user")
          .contains("Kafka SASL password");

      client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("kafka-user")
          .endMetadata().withStringData(Map.of("password", SaslKafka.PASSWORD)).build()).create();
      SentimentPipeline made = await().atMost(WAIT).until(
          () -> client.resources(SentimentPipeline.class).inNamespace(ns).withName(name).get(),
          x -> topicsReason(x) != null && !"SecretMissing".equals(topicsReason(x)));
      Map<String, Object> props = new HashMap<>(KafkaClientEnv.clientProperties(Map.of(KafkaClientEnv.PROTOCOL,
          "SASL_PLAINTEXT", KafkaClientEnv.SASL_MECHANISM, "PLAIN", KafkaClientEnv.SASL_USERNAME, SaslKafka.USER,
          KafkaClientEnv.SASL_PASSWORD, SaslKafka.PASSWORD)::get));
      props.put("bootstrap.servers", SaslKafka.shared().bootstrapServers());
      try (Admin kafka = Admin.create(props)) {
        Set<String> topics = kafka.listTopics().names().get(30, TimeUnit.SECONDS);
        assertThat(topics).contains("pulse.pipeline." + ns + "." + name + ".scored",
            "pulse.pipeline." + ns + "." + name + ".aggregates", "pulse.pipeline." + ns + "." + name + ".alerts",
            "pulse.pipeline." + ns + "." + name + ".dead-letters", "pulse.pipeline." + ns + "." + name + ".labelled");
      }

      Deployment dashboard = await().atMost(WAIT).until(
          () -> client.apps().deployments().inNamespace(ns).withName(name + "-dashboard").get(), d -> d != null);
      List<EnvVar> env = dashboard.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
      assertThat(env).anySatisfy(e -> {
        assertThat(e.getName()).isEqualTo(KafkaClientEnv.SASL_PASSWORD);
        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kafka-user");
      });
      Deployment driver = await().atMost(WAIT).until(
          () -> client.apps().deployments().inNamespace(ns).withName(name + "-spark-driver").get(), d -> d != null);
      assertThat(driver.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .anySatisfy(e -> assertThat(e.getName()).isEqualTo(KafkaClientEnv.SASL_PASSWORD));

      String everything = Serialization.asYaml(made) + Serialization.asYaml(dashboard) + Serialization.asYaml(driver)
          + Serialization.asYaml(client.configMaps().inNamespace(ns).list())
          + operator.eventsAbout(made).stream().map(e -> e.getMessage()).collect(Collectors.joining("\n"))
          + logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
      assertThat(everything).doesNotContain(SaslKafka.PASSWORD);
    } finally {
      root.detachAppender(logs);
    }
  }

  private static String topicsReason(SentimentPipeline p) {
    if (p == null || p.getStatus() == null) {
      return null;
    }
    PulseCondition c = p.getStatus().condition("Topics").orElse(null);
    return c == null ? null : c.getReason();
  }

  private static SentimentPipeline awaitTopics(String ns, String name, String reason) {
    return await().atMost(WAIT).until(() -> client.resources(SentimentPipeline.class).inNamespace(ns).withName(name)
        .get(), p -> reason.equals(topicsReason(p)));
  }
}
