package dev.pulse.spark.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.LabelledExamples;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.spark.TestSpark;
import dev.pulse.spark.JobConfig;
import dev.pulse.spark.ScoredPostsJob;
import dev.pulse.stream.GatewayStandIn;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.stream.LlmEscalator;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.QdrantVectorSink;
import dev.pulse.stream.fault.Outages;
import dev.pulse.stream.fault.Outages.BlackHole;
import dev.pulse.stream.metrics.StreamMetrics;
import dev.pulse.testsupport.QdrantStandIn;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.testsupport.kafka.KafkaTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault suite (issue 19), the Spark job's side: the LLM gateway and Qdrant hanging (accept, never answer) and refusing
 * (a closed port) under the real scored-posts query (local mode, micro-batches, embedded broker). The job escalates
 * synchronously within its micro-batch, so each case runs twice: a first feed while the gateway breaker learns (its
 * first calls wait for the 2 s timeout), then a second with the breakers open. Every post must be scored once with its
 * light score (tier LIGHT, or FALLBACK for an escalated one) and both breakers must open; the rates are printed, not
 * asserted. {@code -Dpulse.fault.jobPosts=N} posts per feed (default 1,000).
 */
class DependencyOutageJobTest {
  private static final int POSTS = Integer.getInteger("pulse.fault.jobPosts", 1_000);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  private static final String[] TEXTS = {"I love this phone, great battery", "terrible service, awful and broken",
      "the store opens at nine", "a parcel came today", "not sure what to think of the update"};
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.builder("pulse-dependency-outage-test")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static double fallbacks(String pipeline, String reason) {
    Counter c = StreamMetrics.get().registry().find("pulse.llm.fallbacks").tag("pipeline", pipeline)
        .tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static double vectorBreaker(String collection) {
    Gauge g = StreamMetrics.get().registry().find("pulse.vector.breaker.state").tag("collection", collection).gauge();
    return g == null ? -1 : g.value();
  }

  private static Set<String> produce(EmbeddedKafka kafka, String topic, String prefix) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    Set<String> ids = new HashSet<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < POSTS; i++) {
        String id = prefix + i;
        ids.add(id);
        Post post = Post.of(id, Source.X, "acme-x", "h" + i, TEXTS[i % TEXTS.length] + " #" + i, "en",
            T0.plusMillis(i), T0.plusMillis(i), null, null, Engagement.NONE);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, id, EventJson.toBytes(post));
        if (i < 3) {
          producer.send(new ProducerRecord<>(topic, i, id, record.value())).get(); // leaders in place first
        } else {
          sent.add(producer.send(record));
        }
      }
      for (Future<?> f : sent) {
        f.get();
      }
    }
    return ids;
  }

  /** Runs the query over what the feed holds; the rows per second over its batches (start-up not included). */
  private double runToEnd(JobConfig config, PostProcessor processor) throws Exception {
    StreamingQuery query = ScoredPostsJob.start(spark, config, processor);
    assertThat(query.awaitTermination(300_000)).as("the available-now run finishes").isTrue();
    assertThat(query.exception().isEmpty()).as("the query did not fail").isTrue();
    long rows = 0;
    long millis = 0;
    for (StreamingQueryProgress progress : query.recentProgress()) {
      if (progress.numInputRows() > 0) {
        rows += progress.numInputRows();
        millis += progress.durationMs().getOrDefault("triggerExecution", 0L);
      }
    }
    return rows * 1000.0 / Math.max(1, millis);
  }

  /** Two feeds through one query (a checkpoint): the first while the breakers learn, the second once they have. */
  private double[] runCase(EmbeddedKafka kafka, String name, String gatewayUrl, int qdrantPort, boolean outage)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String feed = "feed-" + name + "-" + suffix;
    String scored = "scored-" + name + "-" + suffix;
    String dead = "dead-" + name + "-" + suffix;
    // The labelled topic too (the LLM's confident disagreements): a topic the broker auto-creates on the first write
    // raced its leader election and stalled the sink's idempotent producer until its batches expired.
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(feed, scored, dead, LabelledExamples.topicFor(scored)), 3);
    JobConfig config = new JobConfig(kafka.bootstrapServers(), List.of(feed), scored, dead,
        dir.resolve("checkpoint-" + name).toString(), Duration.ofMinutes(10), null, true);
    PostProcessor processor = new PostProcessor(name,
        new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), true),
        new LlmEscalator(gatewayUrl, name, 0.6, TIMEOUT, 64),
        new QdrantVectorSink("127.0.0.1", qdrantPort, false, name, TIMEOUT, 64));
    Set<String> ids = produce(kafka, feed, name + "-a-");
    double first = runToEnd(config, processor);
    ids.addAll(produce(kafka, feed, name + "-b-"));
    double second = runToEnd(config, processor);

    List<ScoredPost> out = kafka.readAll(scored, ids.size(), Duration.ofSeconds(2)).stream()
        .map(r -> EventJson.read(r.value(), ScoredPost.class)).toList();
    assertThat(out).extracting(s -> s.post().id()).as("%s: every post scored once", name)
        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    if (outage) {
      assertThat(out).as("%s: the light score kept", name)
          .allMatch(s -> s.tier() == ScoredBy.LIGHT || s.tier() == ScoredBy.FALLBACK);
      assertThat(out).as("%s: escalated posts fell back", name).anyMatch(s -> s.tier() == ScoredBy.FALLBACK);
    } else {
      assertThat(out).as("%s: the gateway's verdicts", name).anyMatch(s -> s.tier() == ScoredBy.LLM);
    }
    return new double[] {first, second};
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(end);
      Thread.sleep(100);
    }
  }

  @Test
  void everyPostKeepsItsLightScoreAndBothBreakersOpenWhileGatewayAndQdrantHangOrRefuse() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    try (GatewayStandIn gateway = new GatewayStandIn(); QdrantStandIn qdrant = new QdrantStandIn(null);
        BlackHole hungGateway = new BlackHole(); BlackHole hungQdrant = new BlackHole()) {
      try (QdrantClient admin = new QdrantClient(
          QdrantGrpcClient.newBuilder("127.0.0.1", qdrant.port(), false, false).build())) {
        for (String collection : List.of("job-outage-warm", "job-outage-normal")) {
          admin.createCollectionAsync(collection,
              VectorParams.newBuilder().setSize(Embedder.DIMENSION).setDistance(Distance.Cosine).build()).get();
        }
      }
      runCase(kafka, "job-outage-warm", gateway.url(), qdrant.port(), false); // the model loads, the JIT warms
      double[] normal = runCase(kafka, "job-outage-normal", gateway.url(), qdrant.port(), false);
      assertThat(vectorBreaker("job-outage-normal")).isEqualTo(0.0);

      double[] hanging = runCase(kafka, "job-outage-hanging", "http://127.0.0.1:" + hungGateway.port(),
          hungQdrant.port(), true);
      await(() -> vectorBreaker("job-outage-hanging") == 1.0, "Qdrant's breaker opens (hanging)");
      assertThat(fallbacks("job-outage-hanging", "timeout")).isPositive();
      assertThat(fallbacks("job-outage-hanging", "circuit_open")).as("the gateway breaker opened").isPositive();

      double[] refusing = runCase(kafka, "job-outage-refusing", "http://127.0.0.1:" + Outages.closedPort(),
          Outages.closedPort(), true);
      await(() -> vectorBreaker("job-outage-refusing") == 1.0, "Qdrant's breaker opens (refusing)");
      assertThat(fallbacks("job-outage-refusing", "unreachable")).isPositive();
      assertThat(fallbacks("job-outage-refusing", "circuit_open")).as("the gateway breaker opened").isPositive();

      System.out.printf("%nFAULT-SUITE dependency outage, Spark job (local[2], micro-batch, lexicon tier with MiniLM "
              + "int8 embeddings, %d posts per feed, timeouts %d s), posts/s first feed / second feed: normal "
              + "%.0f / %.0f; hanging %.0f / %.0f (%.0f %% / %.0f %% of normal); refusing %.0f / %.0f (%.0f %% / "
              + "%.0f %%)%n", POSTS, TIMEOUT.toSeconds(), normal[0], normal[1], hanging[0], hanging[1],
          100 * hanging[0] / normal[0], 100 * hanging[1] / normal[1], refusing[0], refusing[1],
          100 * refusing[0] / normal[0], 100 * refusing[1] / normal[1]);
    }
  }
}
