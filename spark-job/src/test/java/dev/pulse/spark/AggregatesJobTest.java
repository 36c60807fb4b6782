package dev.pulse.spark;

import dev.pulse.stream.AlertFixtures;
import dev.pulse.testsupport.kafka.KafkaTopics;

import static dev.pulse.stream.AlertFixtures.RULE;
import static dev.pulse.stream.AlertFixtures.closer;
import static dev.pulse.stream.AlertFixtures.crisisWindow;
import static dev.pulse.stream.AlertFixtures.normalWindow;
import static dev.pulse.stream.AlertFixtures.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import dev.pulse.event.EventJson;
import dev.pulse.event.ScoredPost;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregates-and-alerts query in Spark local mode against the embedded KRaft broker: scored posts in, windowed
 * aggregates and alerts out once the watermark passes each window.
 */
class AggregatesJobTest {
  private static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.builder("pulse-aggregates-test")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) spark.stop();
  }

  private record Run(List<Aggregate> aggregates, List<Alert> alerts) {}

  private Run run(List<ScoredPost> posts, int expectedAggregates) throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String scored = "scored-" + suffix;
    String aggregates = "aggregates-" + suffix;
    String alerts = "alerts-" + suffix;
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(scored, aggregates, alerts), 2);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (ScoredPost s : posts) {
        producer.send(new ProducerRecord<>(scored, s.post().id(), EventJson.toBytes(s))).get();
      }
    }
    AggregatesJob.Config config = new AggregatesJob.Config(kafka.bootstrapServers(), scored, aggregates, alerts,
        dir.resolve("checkpoint-" + suffix).toString(), Duration.ofSeconds(5), Duration.ofMillis(500), false);
    StreamingQuery query = AggregatesJob.start(spark, config, RULE);
    try {
      List<Aggregate> aggs = kafka.readAll(aggregates, expectedAggregates, Duration.ofSeconds(3)).stream()
          .map(r -> EventJson.read(r.value(), Aggregate.class)).toList();
      List<Alert> raised = kafka.readAll(alerts, 0, Duration.ofSeconds(2)).stream()
          .map(r -> EventJson.read(r.value(), Alert.class)).toList();
      assertThat(query.exception().isEmpty()).as("query failed: %s", query.exception()).isTrue();
      return new Run(aggs, raised);
    } finally {
      query.stop();
    }
  }

  @Test
  void anInjectedCrisisRaisesExactlyTheExpectedAlerts() throws Exception {
    List<ScoredPost> posts = new ArrayList<>();
    for (int w = 0; w < 4; w++) posts.addAll(normalWindow(w));
    posts.addAll(crisisWindow(4));
    posts.add(closer(6));

    // 4 keys (roll-up, X, REDDIT, cell 48,2) for each normal window, 2 (roll-up, X) for the crisis window.
    Run run = run(posts, 18);

    assertThat(run.aggregates()).hasSize(18);
    Aggregate crisisRollUp = run.aggregates().stream()
        .filter(a -> a.source().equals("*") && a.geoCell().equals("*") && a.windowStart().equals(windowStart(4)))
        .findFirst().orElseThrow();
    assertThat(crisisRollUp.count()).isEqualTo(12);
    assertThat(crisisRollUp.negative()).isEqualTo(10);
    assertThat(crisisRollUp.positive()).isEqualTo(2);
    assertThat(crisisRollUp.topTerms().get(0).count()).isEqualTo(10);

    assertThat(run.alerts()).extracting(Alert::kind)
        .as("the crisis, and the trend shift its mean score (-0.58 vs 0 before) also is")
        .containsExactlyInAnyOrder(AlertKind.CRISIS, AlertKind.TREND_SHIFT);
    Alert crisis = run.alerts().stream().filter(a -> a.kind() == AlertKind.CRISIS).findFirst().orElseThrow();
    assertThat(crisis.pipeline()).isEqualTo("acme");
    assertThat(crisis.windowStart()).isEqualTo(windowStart(4));
    assertThat(crisis.windowEnd()).isEqualTo(windowStart(5));
    assertThat(crisis.metrics()).containsEntry("count", 12.0).containsEntry("negativeRatio", 10 / 12.0);
    assertThat(crisis.evidencePostIds()).containsExactly("c9", "c8", "c7", "c6", "c5", "c4", "c3", "c2", "c1", "c0");
    Alert shift = run.alerts().stream().filter(a -> a.kind() == AlertKind.TREND_SHIFT).findFirst().orElseThrow();
    assertThat(shift.windowStart()).isEqualTo(windowStart(4));
    assertThat(shift.metrics().get("baselineMeanScore")).isEqualTo(0.0);
  }

  @Test
  void aPostTheScoredTopicHoldsTwiceIsCountedOnce() throws Exception {
    // As after a restart of the scored-posts query: the same scored posts written again, at later offsets.
    List<ScoredPost> posts = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      posts.addAll(normalWindow(w));
      posts.addAll(normalWindow(w).subList(0, 4));
    }
    posts.add(closer(4));

    Run run = run(posts, 8);

    assertThat(run.aggregates()).hasSize(8);
    assertThat(run.aggregates()).filteredOn(a -> a.source().equals("*") && a.geoCell().equals("*"))
        .hasSize(2).allSatisfy(a -> {
          assertThat(a.count()).isEqualTo(10);
          assertThat(a.negative()).isEqualTo(3);
        });
  }

  @Test
  void normalTrafficRaisesNone() throws Exception {
    List<ScoredPost> posts = new ArrayList<>();
    for (int w = 0; w < 6; w++) posts.addAll(normalWindow(w));
    posts.add(closer(8));

    Run run = run(posts, 24);

    assertThat(run.aggregates()).hasSize(24);
    assertThat(run.aggregates()).filteredOn(a -> a.source().equals("*") && a.geoCell().equals("*"))
        .hasSize(6).allSatisfy(a -> {
          assertThat(a.count()).isEqualTo(10);
          assertThat(a.negative()).isEqualTo(3);
          assertThat(a.meanScore()).isEqualTo(0.0);
        });
    assertThat(run.alerts()).isEmpty();
  }
}
