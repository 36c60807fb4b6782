package dev.pulse.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.kafka.SaslKafka;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A SourceFeed on a Kafka that requires SASL, against the real kube-apiserver and a real SASL broker: with its
 * password Secret missing the feed says which Secret and key; once the Secret exists the operator authenticates
 * with it and makes the topics. The password is in no status, Event, ConfigMap, Deployment or log line.
 */
class SaslFeedOnRealApiServerTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static KafkaTopicAdmin admin;
  private static RunningOperator operator;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    SaslKafka.shared();
    admin = new KafkaTopicAdmin(java.time.Clock.systemUTC(), Duration.ofSeconds(5));
    operator = RunningOperator.start(new SourceFeedReconciler(PulseImages.defaults(), Duration.ofSeconds(2), admin));
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
  void theFeedAuthenticatesWithThePasswordFromItsSecretAndNeverShowsIt() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      String ns = operator.server().createNamespace("sasl");
      GenericKubernetesResource feed = Samples.first("minimal/sourcefeed-replay.yaml", "SourceFeed");
      Samples.with(feed, "spec.replay.configMap", null);
      Samples.with(feed, "spec.replay.path", "/data/posts.jsonl");
      Samples.with(feed, "spec.kafka.bootstrapServers", SaslKafka.shared().bootstrapServers());
      Samples.with(feed, "spec.kafka.replicas", 1);
      Samples.with(feed, "spec.kafka.security", Map.of("protocol", "SASL_PLAINTEXT", "sasl", Map.of(
          "mechanism", "PLAIN", "username", SaslKafka.USER, "passwordSecret", Map.of("name", "kafka-user"))));
      client.genericKubernetesResources(feed.getApiVersion(), feed.getKind()).inNamespace(ns).resource(feed).create();
      String name = feed.getMetadata().getName();

      SourceFeed missing = awaitCondition(ns, name, "Topic", "SecretMissing");
      assertThat(missing.getStatus().condition("Topic").orElseThrow().getMessage()).contains("kafka-user")
          .contains("Kafka SASL password");
      assertThat(missing.getStatus().condition("Ingester").orElseThrow().getReason()).isEqualTo("SecretMissing");

      client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("kafka-user")
          .endMetadata().withStringData(Map.of("password", SaslKafka.PASSWORD)).build()).create();
      SourceFeed ready = awaitCondition(ns, name, "Topic", "TopicReady");
      assertThat(ready.getStatus().condition("Topic").orElseThrow().getMessage()).contains(ready.getStatus().getTopic());

      Deployment ingester = await().atMost(WAIT).until(
          () -> client.apps().deployments().inNamespace(ns).withName(name + "-ingester").get(), d -> d != null);
      assertThat(ingester.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .anySatisfy(e -> assertThat(e.getName()).isEqualTo("KAFKA_SASL_PASSWORD"));
      ConfigMap config = client.configMaps().inNamespace(ns).withName(name + "-ingester").get();
      assertThat(config.getData().get("ingest.yaml")).contains("protocol: SASL_PLAINTEXT")
          .contains("saslMechanism: PLAIN");

      String everything = Serialization.asYaml(client.resources(SourceFeed.class).inNamespace(ns).withName(name).get())
          + Serialization.asYaml(config) + Serialization.asYaml(ingester)
          + operator.eventsAbout(ready).stream().map(e -> e.getMessage()).collect(Collectors.joining("\n"))
          + logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
      assertThat(everything).doesNotContain(SaslKafka.PASSWORD);
    } finally {
      root.detachAppender(logs);
    }
  }

  private static SourceFeed awaitCondition(String ns, String name, String type, String reason) {
    return await().atMost(WAIT).until(() -> client.resources(SourceFeed.class).inNamespace(ns).withName(name).get(),
        f -> {
          if (f == null || f.getStatus() == null) {
            return false;
          }
          PulseCondition c = f.getStatus().condition(type).orElse(null);
          return c != null && reason.equals(c.getReason());
        });
  }
}
