package dev.pulse.operator.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.contract.IngestConfig;
import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.feed.KafkaSasl;
import dev.pulse.crd.v1alpha1.feed.KafkaSecurity;
import dev.pulse.operator.kafka.TopicRequest;
import dev.pulse.operator.support.PulseImages;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a feed's Kafka settings and readiness become: the topic config on both topic paths, the dead-letter topic,
 * TLS/SASL for the ingester with credentials only as Secret references, and readiness from the last good poll.
 */
class SourceFeedKafkaAndReadinessTest {

  private static SourceFeed plainFeed() {
    SourceFeed feed = SourceFeedObjectsTest.feed("sourcefeed-x.yaml");
    feed.getSpec().getKafka().setClusterName(null);
    feed.getSpec().getKafka().setBootstrapServers("kafka.example:9093");
    return feed;
  }

  private static KafkaSecurity saslSsl() {
    KafkaSecurity security = new KafkaSecurity();
    security.setProtocol(KafkaSecurity.Protocol.SASL_SSL);
    security.setCaSecret(new SecretKeyRef("kafka-cluster-ca-cert", null));
    KafkaSasl sasl = new KafkaSasl();
    sasl.setUsername("pulse-ingest");
    sasl.setPasswordSecret(new SecretKeyRef("pulse-ingest-user", null));
    security.setSasl(sasl);
    return security;
  }

  private static Container container(SourceFeed feed) {
    return SourceFeedObjects.ingester(feed, PulseImages.defaults()).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
  }

  @Test
  void readinessIsTheLastSuccessfulPollAndTheMetricsServiceStillReachesANotReadyIngester() throws Exception {
    SourceFeed feed = SourceFeedObjectsTest.feed("sourcefeed-rss-news.yaml");
    feed.getSpec().setStaleAfter("15m");
    Container container = container(feed);
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getFailureThreshold()).isEqualTo(1);
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(SourceFeedObjects.metricsService(feed).getSpec().getPublishNotReadyAddresses()).isTrue();
    IngestConfig config = IngestConfig.parse(IngesterConfig.yaml(feed));
    assertThat(config.staleAfterOrDefault()).hasMinutes(15);
    assertThat(IngestConfig.parse(IngesterConfig.yaml(SourceFeedObjectsTest.feed("sourcefeed-rss-news.yaml")))
        .staleAfter()).as("unset: the ingester's default (three polls, at least 2m)").isNull();
  }

  @Test
  void theIngesterGetsADeadLetterTopicThatTheOperatorCreatesOnBothPaths() throws Exception {
    SourceFeed plain = plainFeed();
    IngestConfig config = IngestConfig.parse(IngesterConfig.yaml(plain));
    assertThat(config.kafka().deadLetterTopic()).isEqualTo(config.kafka().topic() + ".dead-letters");
    assertThat(SourceFeedObjects.topicRequests(plain)).extracting(TopicRequest::name)
        .containsExactly(config.kafka().topic(), config.kafka().topic() + ".dead-letters");

    SourceFeed strimzi = SourceFeedObjectsTest.feed("sourcefeed-rss-news.yaml");
    List<HasMetadata> desired = SourceFeedObjects.desired(strimzi, PulseImages.defaults());
    assertThat(desired).filteredOn(KafkaTopic.class::isInstance).extracting(o -> o.getMetadata().getName())
        .containsExactly(SourceFeedObjects.topic(strimzi).getMetadata().getName(),
            SourceFeedObjects.deadLetterTopic(strimzi));
  }

  @Test
  void freeFormTopicConfigReachesTheKafkaTopicAndTheAdminRequestAndItsRetentionWins() {
    Map<String, String> extra = Map.of("cleanup.policy", "compact,delete", "min.insync.replicas", "2",
        "retention.ms", "3600000");
    SourceFeed strimzi = SourceFeedObjectsTest.feed("sourcefeed-rss-news.yaml");
    strimzi.getSpec().getKafka().setConfig(extra);
    assertThat(SourceFeedObjects.topic(strimzi).getSpec().getConfig())
        .containsEntry("cleanup.policy", "compact,delete").containsEntry("min.insync.replicas", "2")
        .containsEntry("retention.ms", 3600000L);
    assertThat(SourceFeedObjects.deadLetterKafkaTopic(strimzi).getSpec().getConfig())
        .containsEntry("min.insync.replicas", "2");

    SourceFeed plain = plainFeed();
    plain.getSpec().getKafka().setConfig(extra);
    assertThat(SourceFeedObjects.topicRequests(plain)).allSatisfy(r -> assertThat(r.config())
        .containsEntry("cleanup.policy", "compact,delete").containsEntry("min.insync.replicas", "2")
        .containsEntry("retention.ms", "3600000"));
  }

  @Test
  void saslAndTlsReachTheIngesterAsSecretReferencesAndAMountedCaNeverAsValues() throws Exception {
    SourceFeed feed = plainFeed();
    feed.getSpec().getKafka().setSecurity(saslSsl());
    IngestConfig config = IngestConfig.parse(IngesterConfig.yaml(feed));
    assertThat(config.kafka().security()).isEqualTo(new IngestConfig.Security("SASL_SSL",
        "/etc/pulse-kafka-ca/ca.crt", "SCRAM-SHA-512"));

    Container container = container(feed);
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("KAFKA_SASL_PASSWORD")).singleElement()
        .satisfies(e -> {
          assertThat(e.getValue()).isNull();
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pulse-ingest-user");
          assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        });
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("KAFKA_SASL_USERNAME"))
        .extracting(e -> e.getValue()).containsExactly("pulse-ingest");
    assertThat(container.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/etc/pulse-kafka-ca");
      assertThat(m.getReadOnly()).isTrue();
    });
    Volume ca = SourceFeedObjects.ingester(feed, PulseImages.defaults()).getSpec().getTemplate().getSpec()
        .getVolumes().stream().filter(v -> v.getName().equals("kafka-ca")).findFirst().orElseThrow();
    assertThat(ca.getSecret().getSecretName()).isEqualTo("kafka-cluster-ca-cert");
    assertThat(ca.getSecret().getItems()).singleElement().satisfies(i -> {
      assertThat(i.getKey()).isEqualTo("ca.crt");
      assertThat(i.getPath()).isEqualTo("ca.crt");
    });
  }
}
