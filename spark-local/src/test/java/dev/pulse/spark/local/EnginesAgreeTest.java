package dev.pulse.spark.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Geo;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.spark.AggregatesJob;
import dev.pulse.spark.JobConfig;
import dev.pulse.spark.ScoredPostsJob;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.StreamEngine;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.testsupport.kafka.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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
 * One replay, two engines, one answer: the records ./pulse local's default engine (the stream core in one JVM,
 * {@link StreamEngine}) scores and aggregates, and the same records through the Spark job in local mode (what
 * {@code ./pulse local --engine spark} and a cluster run), with the same settings, give the same scored labels and
 * scores, the same aggregates (every key and window: counts, mean, top terms) and the same alerts (kind, window,
 * metrics, evidence). The replay has normal traffic, a crisis episode, posts with places, a repeated post and a
 * record that is not a post.
 */
class EnginesAgreeTest {
  /**
   * Recent, on a whole minute: the records carry these times as their Kafka timestamps, and a broker deletes records
   * older than its retention (7 days) on its next check, whatever the test is doing.
   */
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
  private static final String[] NORMAL = {
      "Great service today, love the crew", "Flight schedule posted for tomorrow",
      "Terrible delay at the gate, rude staff again", "Boarding started on time, smooth trip",
      "Lounge coffee was cold but fine", "New routes announced for the summer"};
  private static final String[] CRISIS = {
      "Total outage, every flight grounded and we are stranded", "IT meltdown: passengers stranded for hours",
      "Worst outage ever, nobody tells us anything", "Check-in systems down, flights grounded"};
  private static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("pulse-engines-agree")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) spark.stop();
  }

  /** The same spark.pulse.* keys the local run builds (LocalRun.pipelineConf), on this test's topics. */
  private Map<String, String> conf(String bootstrap, String suffix) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("spark.pulse.pipeline", "demo");
    c.put("spark.pulse.kafka.bootstrapServers", bootstrap);
    c.put("spark.pulse.topics.input", "feed-" + suffix);
    c.put("spark.pulse.topics.scored", "scored-" + suffix);
    c.put("spark.pulse.topics.aggregates", "aggregates-" + suffix);
    c.put("spark.pulse.topics.alerts", "alerts-" + suffix);
    c.put("spark.pulse.topics.deadLetters", "dead-" + suffix);
    c.put("spark.pulse.checkpointLocation", dir.resolve("ckpt").toUri().toString());
    c.put("spark.pulse.scoring.tier", "lexicon");
    c.put("spark.pulse.crisis.window", "10s");
    c.put("spark.pulse.crisis.minVolume", "20");
    c.put("spark.pulse.crisis.negativeRatio", "0.6");
    c.put("spark.pulse.glossary", "{\"terms\":[{\"term\":\"outage\",\"polarity\":-0.8}],"
        + "\"crisisKeywords\":[\"outage\",\"grounded\",\"stranded\",\"meltdown\"]}");
    c.put("spark.pulse.aggregates.lateness", "2s");
    c.put("spark.pulse.vectorStore", "none");
    return c;
  }

  /** 14 windows of 10 s at 5 posts/s, a crisis in windows 8–10, then a post 10 minutes on that closes every window. */
  private static List<ProducerRecord<String, byte[]>> replay(String topic) {
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    int n = 14 * 50;
    for (int i = 0; i < n; i++) {
      Instant at = T0.plusMillis(200L * i);
      boolean crisis = i >= 8 * 50 && i < 11 * 50 && i % 4 != 0;
      String text = crisis ? CRISIS[i % CRISIS.length] : NORMAL[i % NORMAL.length];
      Geo geo = i % 3 == 0 ? new Geo(48.85, 2.35, "FR", "Paris") : i % 5 == 0 ? new Geo(null, null, "GB", null) : null;
      Source source = i % 2 == 0 ? Source.X : Source.REDDIT;
      out.add(post(topic, Post.of("p" + i, source, "demo-replay", "h" + (i % 7), text + " #" + (i % 11), "en", at,
          at, null, geo, Engagement.NONE)));
      // An ingester re-sending a batch: the same record again, one post later.
      if (i == 300) out.add(out.get(out.size() - 2));
      if (i == 301) out.add(new ProducerRecord<>(topic, null, at.toEpochMilli(), "junk",
          "{\"schemaVersion\":1,\"id\":".getBytes(StandardCharsets.UTF_8)));
    }
    Instant last = T0.plusMillis(200L * n).plus(Duration.ofMinutes(10));
    out.add(post(topic, Post.of("closer", Source.REPLAY, "demo-replay", "h", "tick", "en", last, last, null, null,
        Engagement.NONE)));
    return out;
  }

  private static ProducerRecord<String, byte[]> post(String topic, Post p) {
    return new ProducerRecord<>(topic, null, p.ingestedAt().toEpochMilli(), p.id(), EventJson.toBytes(p));
  }

  @Test
  void theStreamCoreAndTheSparkJobAgreeOnTheSameReplay() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    PipelineSettings s = PipelineSettings.from(conf(kafka.bootstrapServers(), suffix));
    List<ProducerRecord<String, byte[]>> records = replay(s.inputTopics().get(0));

    // 1. The local engine, in batches as the local run's consumer hands them over.
    StreamEngine engine = new StreamEngine(s, PostProcessor.of(s), Clock.systemUTC());
    List<ScoredPost> localScored = new ArrayList<>();
    List<Aggregate> localAggregates = new ArrayList<>();
    List<Alert> localAlerts = new ArrayList<>();
    int localDead = 0;
    for (int from = 0; from < records.size(); from += 64) {
      List<StreamEngine.Record> batch = new ArrayList<>();
      for (int i = from; i < Math.min(records.size(), from + 64); i++) {
        ProducerRecord<String, byte[]> r = records.get(i);
        batch.add(new StreamEngine.Record(r.value(), r.topic(), 0, i, r.timestamp()));
      }
      StreamEngine.Output out = engine.process(batch);
      localScored.addAll(out.scored());
      localAggregates.addAll(out.aggregates());
      localAlerts.addAll(out.alerts());
      localDead += out.deadLetters();
    }
    assertThat(localDead).isEqualTo(1);
    assertThat(localScored).hasSize(14 * 50 + 1).as("the repeat of p299 is dropped");
    assertThat(localAlerts).as("the crisis is seen").extracting(a -> a.kind().name()).contains("CRISIS");

    // 2. The Spark job: its scored-posts query over the feed, then its aggregates query over the scored topic.
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(s.inputTopics().get(0), s.scoredTopic(),
        s.aggregatesTopic(), s.alertsTopic(), s.deadLetterTopic()), 1);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> r : records) producer.send(r).get();
    }
    JobConfig job = new JobConfig(s.bootstrapServers(), s.inputTopics(), s.scoredTopic(), s.deadLetterTopic(),
        dir.resolve("ckpt-scored").toUri().toString(), s.watermark(), null, true, false, s.dedupMaxIds());
    StreamingQuery scoredQuery = ScoredPostsJob.start(spark, job, PostProcessor.of(s));
    assertThat(scoredQuery.awaitTermination(180_000)).as("the available-now run finishes").isTrue();
    assertThat(scoredQuery.exception().isEmpty()).isTrue();
    StreamingQuery aggregatesQuery = AggregatesJob.start(spark, new AggregatesJob.Config(s.bootstrapServers(),
        s.scoredTopic(), s.aggregatesTopic(), s.alertsTopic(), dir.resolve("ckpt-aggregates").toUri().toString(),
        s.aggregatesLateness(), Duration.ofMillis(500), false), s.alertRule());
    List<Aggregate> sparkAggregates;
    List<Alert> sparkAlerts;
    try {
      sparkAggregates = kafka.readAll(s.aggregatesTopic(), localAggregates.size(), Duration.ofSeconds(5)).stream()
          .map(r -> EventJson.read(r.value(), Aggregate.class)).toList();
      sparkAlerts = kafka.readAll(s.alertsTopic(), localAlerts.size(), Duration.ofSeconds(3)).stream()
          .map(r -> EventJson.read(r.value(), Alert.class)).toList();
      assertThat(aggregatesQuery.exception().isEmpty()).isTrue();
    } finally {
      aggregatesQuery.stop();
    }
    List<ScoredPost> sparkScored = kafka.readAll(s.scoredTopic(), localScored.size(), Duration.ofSeconds(2)).stream()
        .map(r -> EventJson.read(r.value(), ScoredPost.class)).toList();
    assertThat(kafka.readAll(s.deadLetterTopic(), 1, Duration.ofSeconds(1))).hasSize(1);

    // 3. The same answer.
    assertThat(labels(sparkScored)).isEqualTo(labels(localScored));
    assertThat(sparkAggregates.stream().map(EnginesAgreeTest::describe).sorted().toList())
        .isEqualTo(localAggregates.stream().map(EnginesAgreeTest::describe).sorted().toList());
    assertThat(sparkAlerts.stream().map(EnginesAgreeTest::describe).sorted().toList())
        .isEqualTo(localAlerts.stream().map(EnginesAgreeTest::describe).sorted().toList());
  }

  private static Map<String, String> labels(List<ScoredPost> scored) {
    Map<String, String> out = new TreeMap<>();
    for (ScoredPost p : scored) out.put(p.post().id(), p.label() + " " + p.score() + " " + p.tier());
    return out;
  }

  private static String describe(Aggregate a) {
    return a.source() + "|" + a.geoCell() + "|" + a.windowStart() + "|" + a.windowEnd() + " n=" + a.count() + " -"
        + a.negative() + " =" + a.neutral() + " +" + a.positive() + " mean=" + round(a.meanScore()) + " " + a.topTerms();
  }

  private static String describe(Alert a) {
    Map<String, String> metrics = new TreeMap<>();
    a.metrics().forEach((k, v) -> metrics.put(k, round(v)));
    return a.kind() + "|" + a.pipeline() + "|" + a.windowStart() + "|" + a.windowEnd() + " " + metrics
        + " >=" + a.threshold() + " " + a.evidencePostIds();
  }

  /**
   * A mean to 9 decimals: Spark's grouping hands a window's posts over in another order than they arrived, and a
   * sum of doubles in another order can differ in its last bits.
   */
  private static String round(double v) {
    return String.format(java.util.Locale.ROOT, "%.9f", v);
  }
}
