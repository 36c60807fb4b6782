package dev.pulse.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import dev.pulse.testsupport.kafka.SaslKafka;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Free-form topic config applied through the Admin API, and the Admin API over SASL: with the right password the
 * topic is made, with a wrong one the refusal is reported, and the password appears in no message and no log line.
 */
class TopicConfigAndSaslTest {

  @Test
  void freeFormTopicConfigIsSetAtCreationAndChangedLater() {
    TestKafka kafka = TestKafka.shared();
    String name = "cfg-" + UUID.randomUUID();
    try (KafkaTopicAdmin admin = new KafkaTopicAdmin()) {
      TopicsOutcome created = admin.ensure(kafka.bootstrapServers(), List.of(new TopicRequest(name, 1, 1,
          Map.of("retention.ms", "3600000", "cleanup.policy", "compact,delete", "min.insync.replicas", "1",
              "segment.ms", "600000"))));
      assertThat(created.ok()).as(created.toString()).isTrue();
      // A topic just created may take a moment to be described by the broker's metadata.
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
        assertThat(kafka.config(name, "cleanup.policy")).isEqualTo("compact,delete");
        assertThat(kafka.config(name, "segment.ms")).isEqualTo("600000");
        assertThat(kafka.config(name, "min.insync.replicas")).isEqualTo("1");
      });

      TopicsOutcome changed = admin.ensure(kafka.bootstrapServers(), List.of(new TopicRequest(name, 1, 1,
          Map.of("retention.ms", "3600000", "cleanup.policy", "delete", "max.message.bytes", "2000000"))));
      assertThat(changed.ok()).isTrue();
      assertThat(changed.changes()).singleElement().satisfies(c -> assertThat(c.message())
          .contains("cleanup.policy compact,delete -> delete").contains("max.message.bytes"));
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
        assertThat(kafka.config(name, "cleanup.policy")).isEqualTo("delete");
        assertThat(kafka.config(name, "max.message.bytes")).isEqualTo("2000000");
      });

      TopicsOutcome refused = admin.ensure(kafka.bootstrapServers(), List.of(new TopicRequest(name, 1, 1,
          Map.of("min.insync.replicas", "0"))));
      assertThat(refused.firstProblem()).hasValueSatisfying(p -> assertThat(p.reason())
          .isEqualTo(TopicsOutcome.REJECTED));
    }
  }

  @Test
  void theAdminApiAuthenticatesWithSaslAndNeverShowsThePassword() {
    SaslKafka kafka = SaslKafka.shared();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    // Kafka prints a client's config at INFO (AbstractConfig; the operator itself keeps org.apache.kafka at WARN):
    // make sure it does here, whatever level an earlier test set.
    Logger config = (Logger) LoggerFactory.getLogger("org.apache.kafka.common.config.AbstractConfig");
    ch.qos.logback.classic.Level before = config.getLevel();
    config.setLevel(ch.qos.logback.classic.Level.INFO);
    String name = "sasl-" + UUID.randomUUID();
    try (KafkaTopicAdmin admin = new KafkaTopicAdmin(Clock.systemUTC(), Duration.ofSeconds(8))) {
      TopicsOutcome plaintext = admin.ensure(kafka.bootstrapServers(), List.of(new TopicRequest(name, 1, 1, Map.of())));
      assertThat(plaintext.ok()).as("a PLAINTEXT client gets nowhere").isFalse();

      KafkaConnection wrong = new KafkaConnection(kafka.bootstrapServers(), withProtocol(
          KafkaClientSecurity.sasl("PLAIN", SaslKafka.USER, "not-the-password-9021")));
      TopicsOutcome refused = admin.ensure(wrong, List.of(new TopicRequest(name, 1, 1, Map.of())));
      assertThat(refused.firstProblem()).hasValueSatisfying(p -> {
        assertThat(p.reason()).isEqualTo(TopicsOutcome.NOT_AUTHORIZED);
        assertThat(p.message()).contains("SASL_PLAINTEXT").contains("spec.kafka.security")
            .doesNotContain("not-the-password-9021");
      });

      // Authenticated, but without the ACLs to make topics: reported with what to grant.
      KafkaConnection noAcls = new KafkaConnection(kafka.bootstrapServers(), withProtocol(
          KafkaClientSecurity.sasl("PLAIN", SaslKafka.OTHER_USER, SaslKafka.OTHER_PASSWORD)));
      TopicsOutcome forbidden = admin.ensure(noAcls, List.of(new TopicRequest(name, 1, 1, Map.of())));
      assertThat(forbidden.firstProblem()).hasValueSatisfying(p -> {
        assertThat(p.reason()).isEqualTo(TopicsOutcome.NOT_AUTHORIZED);
        assertThat(p.message()).contains("Create").doesNotContain(SaslKafka.OTHER_PASSWORD);
      });

      KafkaConnection right = new KafkaConnection(kafka.bootstrapServers(), withProtocol(
          KafkaClientSecurity.sasl("PLAIN", SaslKafka.USER, SaslKafka.PASSWORD)));
      TopicsOutcome made = admin.ensure(right, List.of(new TopicRequest(name, 1, 1, Map.of("retention.ms", "60000"))));
      assertThat(made.ok()).as(made.toString()).isTrue();
      assertThat(made.changes()).extracting(TopicsOutcome.Change::reason).containsExactly("TopicCreated");
      assertThat(right.toString()).doesNotContain(SaslKafka.PASSWORD);
    } finally {
      root.detachAppender(logs);
      config.setLevel(before);
    }
    String everything = logs.list.stream().map(e -> e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).collect(Collectors.joining("\n"));
    assertThat(everything).as("Kafka's clients log their config; the JAAS config must show as [hidden]")
        .contains("sasl.jaas.config = [hidden]").doesNotContain(SaslKafka.PASSWORD)
        .doesNotContain("not-the-password-9021").doesNotContain(SaslKafka.OTHER_PASSWORD);
  }

  private static Map<String, String> withProtocol(Map<String, String> sasl) {
    Map<String, String> p = new java.util.HashMap<>(sasl);
    p.put("security.protocol", "SASL_PLAINTEXT");
    return p;
  }
}
