package dev.pulse.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.v1alpha1.feed.KafkaSecurity;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testsupport.kafka.TlsKafka;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operator's Admin client over TLS: the CA read from a Secret on the real API server (inline PEM, no file), a
 * real broker whose client listener speaks only SSL. Trusting the CA, the topic is made; without it the handshake
 * fails and is reported; a Secret without the key is reported as SecretMissing before any connection.
 */
class TlsAdminTest {

  private static KafkaSecurity ssl(SecretKeyRef ca) {
    KafkaSecurity security = new KafkaSecurity();
    security.setProtocol(KafkaSecurity.Protocol.SSL);
    security.setCaSecret(ca);
    return security;
  }

  @Test
  void theAdminClientTrustsTheCaFromItsSecret() {
    TlsKafka kafka = TlsKafka.shared();
    KubernetesClient client = KubeApiServer.shared().client();
    String ns = KubeApiServer.shared().createNamespace("tls");
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("kafka-cluster-ca-cert")
        .endMetadata().withStringData(Map.of("ca.crt", kafka.caPem())).build()).create();
    String topic = "tls-" + UUID.randomUUID();
    try (KafkaTopicAdmin admin = new KafkaTopicAdmin(Clock.systemUTC(), Duration.ofSeconds(8))) {
      KafkaClientSecurity.Resolved trusted = KafkaClientSecurity.resolve(client, ns, kafka.bootstrapServers(),
          ssl(new SecretKeyRef("kafka-cluster-ca-cert", null)));
      assertThat(trusted.problem()).isNull();
      TopicsOutcome made = admin.ensure(trusted.connection(), List.of(new TopicRequest(topic, 1, 1, Map.of())));
      assertThat(made.ok()).as(made.toString()).isTrue();
      assertThat(made.changes()).extracting(TopicsOutcome.Change::reason).containsExactly("TopicCreated");

      KafkaClientSecurity.Resolved untrusted = KafkaClientSecurity.resolve(client, ns, kafka.bootstrapServers(),
          ssl(null));
      TopicsOutcome refused = admin.ensure(untrusted.connection(), List.of(new TopicRequest(topic, 1, 1, Map.of())));
      assertThat(refused.ok()).as("the JVM's trust store does not know the broker's certificate").isFalse();
      assertThat(refused.firstProblem().orElseThrow().message()).contains("SSL");

      KafkaClientSecurity.Resolved wrongKey = KafkaClientSecurity.resolve(client, ns, kafka.bootstrapServers(),
          ssl(new SecretKeyRef("kafka-cluster-ca-cert", "ca.pem")));
      assertThat(wrongKey.connection()).isNull();
      assertThat(wrongKey.problem().reason()).isEqualTo("SecretMissing");
      assertThat(wrongKey.problem().message()).contains("kafka-cluster-ca-cert").contains("ca.pem")
          .doesNotContain("BEGIN CERTIFICATE");
    }
  }
}
