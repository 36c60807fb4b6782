package dev.pulse.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topics on a real Kafka broker (KRaft, in this JVM) through {@link KafkaTopicAdmin}, as the reconcilers use it. */
class KafkaTopicAdminTest {

  private static TestKafka kafka;
  private static KafkaTopicAdmin admin;

  @BeforeAll
  static void start() {
    kafka = TestKafka.shared();
    admin = new KafkaTopicAdmin(Clock.systemUTC(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  @Test
  void createsAMissingTopicWithItsPartitionsReplicationAndConfigThenFindsItAsAsked() {
    String topic = topic();
    TopicRequest request = new TopicRequest(topic, 3, 1, Map.of("retention.ms", "86400000", "cleanup.policy", "delete"));

    TopicsOutcome first = admin.ensure(kafka.bootstrapServers(), List.of(request));

    assertThat(first.ok()).as(String.valueOf(first)).isTrue();
    assertThat(first.changes()).extracting(TopicsOutcome.Change::reason).containsExactly("TopicCreated");
    TopicDescription created = await().atMost(TestKafka.timeout()).until(() -> kafka.describe(topic), d -> d != null);
    assertThat(created.partitions()).hasSize(3);
    assertThat(created.partitions().get(0).replicas()).hasSize(1);
    assertThat(kafka.config(topic, "retention.ms")).isEqualTo("86400000");

    TopicsOutcome second = admin.ensure(kafka.bootstrapServers(), List.of(request));
    assertThat(second.ok()).isTrue();
    assertThat(second.changes()).as("nothing to do the second time").isEmpty();
    assertThat(second.topics()).singleElement().satisfies(t -> {
      assertThat(t.reason()).isEqualTo(TopicsOutcome.READY);
      assertThat(t.partitions()).isEqualTo(3);
      assertThat(t.message()).contains(topic).contains("3 partitions, replication factor 1");
    });
  }

  @Test
  void raisesPartitionsAndAppliesChangedRetentionButNeverShrinks() {
    String topic = topic();
    admin.ensure(kafka.bootstrapServers(), List.of(new TopicRequest(topic, 2, 1, Map.of("retention.ms", "3600000"))));

    TopicsOutcome grown = admin.ensure(kafka.bootstrapServers(),
        List.of(new TopicRequest(topic, 5, 1, Map.of("retention.ms", "7200000"))));

    assertThat(grown.ok()).as(String.valueOf(grown)).isTrue();
    assertThat(grown.changes()).extracting(TopicsOutcome.Change::reason)
        .containsExactly("TopicPartitionsRaised", "TopicConfigUpdated");
    assertThat(grown.changes().get(0).message()).contains("from 2 to 5");
    assertThat(grown.changes().get(1).message()).contains("retention.ms 3600000 -> 7200000");
    // The controller has accepted both; the broker's metadata follows within moments.
    await().atMost(TestKafka.timeout()).untilAsserted(() -> {
      assertThat(kafka.describe(topic).partitions()).hasSize(5);
      assertThat(kafka.config(topic, "retention.ms")).isEqualTo("7200000");
    });

    TopicsOutcome shrink = admin.ensure(kafka.bootstrapServers(),
        List.of(new TopicRequest(topic, 3, 1, Map.of("retention.ms", "7200000"))));

    assertThat(shrink.ok()).isFalse();
    assertThat(shrink.firstProblem()).hasValueSatisfying(p -> {
      assertThat(p.reason()).isEqualTo(TopicsOutcome.PARTITIONS_NOT_REDUCED);
      assertThat(p.message()).contains("has 5 partitions and the spec asks for 3")
          .contains("Set spec.kafka.partitions to 5 or more");
    });
    assertThat(kafka.describe(topic).partitions()).as("Kafka cannot remove partitions; none were").hasSize(5);
  }

  @Test
  void leavesConfigsItDoesNotOwnAloneAndAdoptsATopicMadeByHand() {
    String topic = topic();
    kafka.create(topic, 1, Map.of("retention.ms", "1000000", "max.message.bytes", "2000000"));

    TopicsOutcome outcome = admin.ensure(kafka.bootstrapServers(),
        List.of(new TopicRequest(topic, 1, 1, Map.of("retention.ms", "86400000"))));

    assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
    await().atMost(TestKafka.timeout()).untilAsserted(
        () -> assertThat(kafka.config(topic, "retention.ms")).isEqualTo("86400000"));
    assertThat(kafka.config(topic, "max.message.bytes")).as("incremental: not the operator's key").isEqualTo("2000000");
  }

  @Test
  void replicationAboveTheBrokerCountIsReportedNotAttempted() {
    String topic = topic();

    TopicsOutcome outcome = admin.ensure(kafka.bootstrapServers(), List.of(new TopicRequest(topic, 1, 3, Map.of())));

    assertThat(outcome.firstProblem()).hasValueSatisfying(p -> {
      assertThat(p.reason()).isEqualTo(TopicsOutcome.REPLICATION_TOO_HIGH);
      assertThat(p.message()).contains("spec.kafka.replicas is 3 but Kafka at").contains("has 1 broker.")
          .contains("Set spec.kafka.replicas to 1 or less");
    });
    assertThat(kafka.describe(topic)).isNull();
  }

  @Test
  void anAddressWhereNoKafkaListensIsReportedAsUnreachableWithinTheTimeout() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    KafkaTopicAdmin quick = new KafkaTopicAdmin(Clock.systemUTC(), Duration.ofSeconds(3));
    long start = System.nanoTime();

    TopicsOutcome outcome = quick.ensure("127.0.0.1:" + port, List.of(new TopicRequest(topic(), 1, 1, Map.of())));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(outcome.problem()).isNotNull();
    assertThat(outcome.problem().reason()).isEqualTo(TopicsOutcome.UNREACHABLE);
    assertThat(outcome.problem().message()).contains("127.0.0.1:" + port).contains("did not answer within 3s")
        .contains("spec.kafka.bootstrapServers");
    quick.close();
  }

  @Test
  void aHostThatDoesNotResolveIsReportedAsUnreachable() {
    TopicsOutcome outcome = admin.ensure("pulse-kafka.invalid:9092", List.of(new TopicRequest(topic(), 1, 1, Map.of())));

    assertThat(outcome.problem()).isNotNull();
    assertThat(outcome.problem().reason()).isEqualTo(TopicsOutcome.UNREACHABLE);
    assertThat(outcome.problem().message()).contains("pulse-kafka.invalid:9092");
  }

  private static String topic() {
    return "pulse.test." + UUID.randomUUID().toString().substring(0, 8);
  }
}
