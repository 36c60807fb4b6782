package dev.pulse.spark;

import dev.pulse.event.PointIds;
import dev.pulse.stream.GatewayStandIn;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.stream.PipelineSettingsTest;
import dev.pulse.testsupport.kafka.KafkaTopics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.event.ScoredBy;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.testsupport.QdrantStandIn;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The whole job as the operator configures it (spark.pulse.* keys), in local mode against the embedded broker, the
 * gateway stand-in and the Qdrant stand-in; and the scored-posts query in Spark 4.1's real-time mode.
 */
class SentimentStreamingJobTest {
  private static final Instant T0 = Instant.parse("2026-11-24T21:00:00Z");
  private static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.builder("pulse-job-test").master("local[3]")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) spark.stop();
  }

  private Map<String, String> conf(EmbeddedKafka kafka, String suffix) {
    Map<String, String> c = new java.util.HashMap<>(PipelineSettingsTest.operatorConf());
    c.put("spark.pulse.kafka.bootstrapServers", kafka.bootstrapServers());
    c.put("spark.pulse.topics.input", "feed-" + suffix);
    c.put("spark.pulse.topics.scored", "scored-" + suffix);
    c.put("spark.pulse.topics.aggregates", "aggregates-" + suffix);
    c.put("spark.pulse.topics.alerts", "alerts-" + suffix);
    c.put("spark.pulse.topics.deadLetters", "dead-" + suffix);
    c.put("spark.pulse.checkpointLocation", dir.resolve("ckpt-" + suffix).toUri().toString());
    c.put("spark.pulse.scoring.tier", "lexicon");
    return c;
  }

  private static List<Post> produce(EmbeddedKafka kafka, PipelineSettings s, int n) throws Exception {
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(s.inputTopics().get(0), s.scoredTopic(),
        s.aggregatesTopic(), s.alertsTopic(), s.deadLetterTopic()), 1);
    List<Post> posts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      posts.add(Post.of("x:" + i, Source.X, "acme-x", "h", i % 2 == 0 ? "hmm, the outage" : "I love it, great!!",
          "en", T0.plusSeconds(i), T0.plusSeconds(i), null, null, Engagement.NONE));
    }
    send(kafka, s.inputTopics().get(0), posts);
    return posts;
  }

  /** The job as the operator configures it in real-time mode, without LLM or Qdrant, checkpointing every 5 s. */
  private PipelineSettings realTime(EmbeddedKafka kafka, String suffix) {
    Map<String, String> c = conf(kafka, suffix);
    c.remove("spark.pulse.llm.gatewayUrl");
    c.remove("spark.pulse.qdrant.host");
    c.put("spark.pulse.trigger.mode", "RealTime");
    c.put("spark.pulse.trigger.checkpointInterval", "5s");
    return PipelineSettings.from(c);
  }

  /** The scored posts on the job's output topic, once at least {@code atLeast} are there and it is quiet. */
  private static List<ScoredPost> readScored(EmbeddedKafka kafka, PipelineSettings s, int atLeast, Duration quiet) {
    return kafka.readAll(s.scoredTopic(), atLeast, quiet).stream()
        .map(r -> EventJson.read(r.value(), ScoredPost.class)).toList();
  }

  private static void send(EmbeddedKafka kafka, String topic, List<Post> posts) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (Post post : posts) producer.send(new ProducerRecord<>(topic, post.id(), EventJson.toBytes(post))).get();
    }
  }

  @Test
  void theJobAsTheOperatorConfiguresItEscalatesAndUpserts() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (GatewayStandIn gateway = new GatewayStandIn(); QdrantStandIn qdrant = new QdrantStandIn(null)) {
      try (QdrantClient admin = new QdrantClient(
          QdrantGrpcClient.newBuilder("127.0.0.1", qdrant.port(), false, false).build())) {
        admin.createCollectionAsync("acme-posts",
            VectorParams.newBuilder().setSize(Embedder.DIMENSION).setDistance(Distance.Cosine).build()).get();
      }
      Map<String, String> c = conf(kafka, suffix);
      c.put("spark.pulse.llm.gatewayUrl", gateway.url());
      c.put("spark.pulse.scoring.escalationThreshold", "1.0");
      c.put("spark.pulse.qdrant.host", "127.0.0.1");
      c.put("spark.pulse.qdrant.grpcPort", String.valueOf(qdrant.port()));
      PipelineSettings s = PipelineSettings.from(c);
      List<Post> posts = produce(kafka, s, 6);

      List<StreamingQuery> queries = SentimentStreamingJob.start(spark, s, true);
      assertThat(queries.get(0).awaitTermination(120_000)).isTrue();
      queries.get(1).stop();
      assertThat(queries.get(0).exception().isEmpty()).isTrue();

      List<ScoredPost> scored = readScored(kafka, s, posts.size(), Duration.ofSeconds(2));
      assertThat(scored).hasSize(6).allSatisfy(p -> assertThat(p.tier()).isEqualTo(ScoredBy.LLM));
      assertThat(gateway.requests).isNotEmpty()
          .allSatisfy(r -> assertThat(r.path("pipeline").asText()).isEqualTo("acme"));
      // Upserts run in the background, off the scoring path (stream-core's VectorWriter).
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (qdrant.points("acme-posts").size() < 6 && System.nanoTime() < end) {
        Thread.sleep(50);
      }
      assertThat(qdrant.points("acme-posts")).hasSize(6);
      assertThat(qdrant.points("acme-posts").get(PointIds.of("x:0").toString()).payload().get("label")
          .getStringValue()).isEqualTo("negative");
    }
  }

  @Test
  void theScoredPostsQueryRunsInRealTimeMode() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    PipelineSettings s = realTime(kafka, suffix);
    List<Post> posts = produce(kafka, s, 8);

    List<StreamingQuery> queries = SentimentStreamingJob.start(spark, s, false);
    try {
      List<ScoredPost> scored = readScored(kafka, s, posts.size(), Duration.ofSeconds(2));
      assertThat(scored).extracting(p -> p.post().id())
          .containsExactlyInAnyOrderElementsOf(posts.stream().map(Post::id).toList());

      // An ingester re-sending three posts (same ids, later offsets), then two new ones: one partition, so once the
      // new ones are out the repeats have been read too, and dropped.
      List<Post> more = new ArrayList<>(List.of(posts.get(1), posts.get(4), posts.get(7)));
      for (int i = 100; i < 102; i++) {
        more.add(Post.of("x:" + i, Source.X, "acme-x", "h", "brand new post", "en", T0, T0, null, null,
            Engagement.NONE));
      }
      send(kafka, s.inputTopics().get(0), more);
      List<ScoredPost> all = readScored(kafka, s, posts.size() + 2, Duration.ofSeconds(3));
      assertThat(all).extracting(p -> p.post().id()).doesNotHaveDuplicates().hasSize(posts.size() + 2)
          .contains("x:100", "x:101");
      assertThat(queries.get(0).lastProgress() == null || queries.get(0).exception().isEmpty()).isTrue();
    } finally {
      for (StreamingQuery q : queries) q.stop();
    }
  }

  @Test
  void realTimeModeLosesNothingAcrossARestart() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    PipelineSettings s = realTime(kafka, suffix);
    List<Post> first = produce(kafka, s, 6);

    List<StreamingQuery> queries = SentimentStreamingJob.start(spark, s, false);
    try {
      assertThat(kafka.readAll(s.scoredTopic(), first.size(), Duration.ofSeconds(1))).hasSizeGreaterThanOrEqualTo(6);
    } finally {
      for (StreamingQuery q : queries) q.stop(); // mid-batch: the batch's offsets are not committed
    }
    List<Post> later = new ArrayList<>();
    for (int i = 200; i < 204; i++) {
      later.add(Post.of("x:" + i, Source.X, "acme-x", "h", "posted while the job was down", "en", T0, T0, null, null,
          Engagement.NONE));
    }
    send(kafka, s.inputTopics().get(0), later);

    queries = SentimentStreamingJob.start(spark, s, false);
    try {
      List<String> ids = readScored(kafka, s, first.size() + later.size(), Duration.ofSeconds(3)).stream()
          .map(p -> p.post().id()).toList();
      List<String> expected = new ArrayList<>(first.stream().map(Post::id).toList());
      later.forEach(p -> expected.add(p.id()));
      // At least once into Kafka: what the stopped batch wrote may be written again (the aggregates query drops it).
      assertThat(new java.util.HashSet<>(ids)).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(queries.get(0).exception().isEmpty()).isTrue();
    } finally {
      for (StreamingQuery q : queries) q.stop();
    }
  }
}
