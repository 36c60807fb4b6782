package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Label;
import dev.pulse.event.LabelledExamples;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.stream.GatewayStandIn;
import dev.pulse.stream.LlmEscalator;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.PostScorer;
import dev.pulse.stream.StreamEngine;
import dev.pulse.stream.VectorSink;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.testsupport.kafka.KafkaTopics;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * The closed loop's first step in the Spark job (issue 21): the scored-posts query writes, beside each scored post,
 * a labelled example to {@code <pipeline>.labelled} when the LLM's verdict disagrees with the light score at
 * confidence 0.8 or more; an agreeing, unsure or fallen-back verdict, and a post never escalated, write none. On the
 * embedded broker with the gateway stand-in; and the local engine (./pulse local) writes the same examples for the
 * same records.
 */
class LabelledTopicJobTest {
  /** Recent: the broker deletes records older than its retention. */
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A light scorer whose verdicts the test chooses: "light:negative" in the text is a negative score at 0.5, "sure"
   * a neutral one at 0.95 (above the threshold: not escalated), anything else neutral at 0.3.
   */
  private static final PostScorer LIGHT = (posts, now) -> posts.stream().map(p -> p.text().contains("light:negative")
      ? ScoredPost.of(p, Label.NEGATIVE, -0.4, 0.5, ScoredBy.LIGHT, false, null, now)
      : ScoredPost.of(p, Label.NEUTRAL, 0.0, p.text().contains("sure thing") ? 0.95 : 0.3, ScoredBy.LIGHT, false,
          null, now)).toList();

  /** Post id → text; the stand-in says negative (0.9) for "outage", positive (0.8) otherwise, 0.6 with "[unsure]". */
  private static final Map<String, String> POSTS = new LinkedHashMap<>();

  static {
    POSTS.put("disagrees", "the outage again");                       // neutral 0.3 → negative 0.9: an example
    POSTS.put("disagrees-at-0.8", "lovely crew today");               // neutral 0.3 → positive 0.8: an example
    POSTS.put("agrees", "the outage again light:negative");           // negative → negative: none
    POSTS.put("unsure", "the outage again [unsure]");                 // neutral → negative at 0.6: none
    POSTS.put("fallback", "the outage again [budget]");               // the gateway's budget fallback: none
    POSTS.put("not-escalated", "a sure thing");                       // 0.95: never sent to the LLM
  }

  private static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.builder("pulse-labelled-topic")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) spark.stop();
  }

  private PipelineSettings settings(EmbeddedKafka kafka, String gatewayUrl) {
    String base = "pulse.pipeline.test.acme-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Map<String, String> c = new LinkedHashMap<>();
    c.put("spark.pulse.pipeline", "acme");
    c.put("spark.pulse.kafka.bootstrapServers", kafka.bootstrapServers());
    c.put("spark.pulse.topics.input", base + "feed");
    c.put("spark.pulse.topics.scored", base + "scored");
    c.put("spark.pulse.topics.aggregates", base + "aggregates");
    c.put("spark.pulse.topics.alerts", base + "alerts");
    c.put("spark.pulse.topics.deadLetters", base + "dead-letters");
    c.put("spark.pulse.checkpointLocation", dir.resolve("ckpt").toUri().toString());
    c.put("spark.pulse.llm.gatewayUrl", gatewayUrl);
    c.put("spark.pulse.scoring.escalationThreshold", "0.6");
    c.put("spark.pulse.vectorStore", "none");
    return PipelineSettings.from(c);
  }

  private static PostProcessor processor(PipelineSettings s) {
    return new PostProcessor(s.pipeline(), LIGHT, new LlmEscalator(s.gatewayUrl(), s.pipeline(),
        s.escalationThreshold(), Duration.ofSeconds(30), 64), VectorSink.NONE);
  }

  private static List<ProducerRecord<String, byte[]>> records(String topic) {
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String> e : POSTS.entrySet()) {
      Instant at = T0.plusSeconds(i++);
      Post p = Post.of(e.getKey(), Source.X, "acme-x", "h", e.getValue(), "en", at, at, null, null, Engagement.NONE);
      out.add(new ProducerRecord<>(topic, null, at.toEpochMilli(), p.id(), EventJson.toBytes(p)));
    }
    return out;
  }

  /** A labelled record without the moment it was written (the one field two runs cannot share). */
  private static String withoutTime(byte[] value) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(value);
    n.remove("labelledAt");
    return n.toString();
  }

  @Test
  void confidentDisagreementsLandOnTheLabelledTopicOnceAndTheLocalEngineWritesTheSame() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    try (GatewayStandIn gateway = new GatewayStandIn()) {
      PipelineSettings s = settings(kafka, gateway.url());
      String labelledTopic = LabelledExamples.topicFor(s.scoredTopic());
      assertThat(labelledTopic).endsWith(".labelled").doesNotContain("scored");
      List<ProducerRecord<String, byte[]>> records = records(s.inputTopics().get(0));
      KafkaTopics.ensure(kafka.bootstrapServers(), List.of(s.inputTopics().get(0), s.scoredTopic(),
          s.deadLetterTopic(), labelledTopic), 1);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        for (ProducerRecord<String, byte[]> r : records) producer.send(r).get();
      }

      // 1. The Spark job's scored-posts query, run until the feed is read (available-now).
      JobConfig job = new JobConfig(s.bootstrapServers(), s.inputTopics(), s.scoredTopic(), s.deadLetterTopic(),
          dir.resolve("ckpt-scored").toUri().toString(), s.watermark(), null, true, false, s.dedupMaxIds());
      StreamingQuery query = ScoredPostsJob.start(spark, job, processor(s));
      assertThat(query.awaitTermination(180_000)).as("the available-now run finishes").isTrue();
      assertThat(query.exception().isEmpty()).isTrue();

      List<ScoredPost> scored = kafka.readAll(s.scoredTopic(), POSTS.size(), Duration.ofSeconds(1)).stream()
          .map(r -> EventJson.read(r.value(), ScoredPost.class)).toList();
      assertThat(scored).extracting(x -> x.post().id()).containsExactlyInAnyOrderElementsOf(POSTS.keySet());
      assertThat(scored).filteredOn(x -> x.post().id().equals("fallback")).extracting(ScoredPost::tier)
          .containsExactly(ScoredBy.FALLBACK);
      List<ConsumerRecord<String, byte[]>> labelled = kafka.readAll(labelledTopic, 2, Duration.ofSeconds(2));
      assertThat(labelled).as("one example per confident disagreement, keyed by post id")
          .extracting(ConsumerRecord::key).containsExactlyInAnyOrder("disagrees", "disagrees-at-0.8");

      JsonNode example = JSON.readTree(labelled.stream().filter(r -> r.key().equals("disagrees")).findFirst()
          .orElseThrow().value());
      assertThat(example.path("postId").asText()).isEqualTo("disagrees");
      assertThat(example.path("text").asText()).isEqualTo("the outage again");
      assertThat(example.path("label").asText()).isEqualTo("negative");
      assertThat(example.path("source").asText()).isEqualTo("llm");
      assertThat(example.path("lightLabel").asText()).isEqualTo("neutral");
      assertThat(example.path("lightConfidence").asDouble()).isEqualTo(0.3);
      assertThat(example.path("confidence").asDouble()).isEqualTo(0.9);
      assertThat(example.path("rationale").asText()).isEqualTo("stand-in rule");
      assertThat(Instant.parse(example.path("labelledAt").asText())).isAfter(T0);

      // 2. The local engine (./pulse local) over the same records, its verdicts drained as its loop does.
      Map<String, String> local = new TreeMap<>();
      try (StreamEngine engine = new StreamEngine(s, processor(s), Clock.systemUTC())) {
        List<StreamEngine.Record> batch = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
          ProducerRecord<String, byte[]> r = records.get(i);
          batch.add(new StreamEngine.Record(r.value(), r.topic(), 0, i, r.timestamp()));
        }
        List<StreamEngine.Out> outs = new ArrayList<>(engine.process(batch).records());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (engine.awaitingVerdicts() && System.nanoTime() < deadline) {
          Thread.sleep(20);
          outs.addAll(engine.process(List.of()).records());
        }
        assertThat(engine.awaitingVerdicts()).as("every verdict back within 60 s").isFalse();
        for (StreamEngine.Out o : outs) {
          if (o.topic().equals(labelledTopic)) {
            assertThat(local.put(o.key(), withoutTime(o.value()))).as("once: " + o.key()).isNull();
          }
        }
      }
      Map<String, String> spark = new TreeMap<>();
      for (ConsumerRecord<String, byte[]> r : labelled) spark.put(r.key(), withoutTime(r.value()));
      assertThat(spark).as("the Spark job's examples are the local engine's").isEqualTo(local);
    }
  }
}
