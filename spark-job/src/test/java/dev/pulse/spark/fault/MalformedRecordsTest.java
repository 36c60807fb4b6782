package dev.pulse.spark.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.DeadLetter;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.spark.TestSpark;
import dev.pulse.spark.JobConfig;
import dev.pulse.spark.ScoredPostsJob;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.stream.PostScorer;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.testsupport.kafka.KafkaTopics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
 * Fault suite (issue 19): malformed records mixed into a feed, through the real scored-posts query (Spark local mode,
 * the embedded KRaft broker). Six kinds: not JSON, JSON missing a required field, a field of the wrong type, invalid
 * UTF-8, empty (zero bytes and a null value) and oversized (200 KiB that never closes its JSON). Every malformed
 * record must be in the dead-letter topic, found by the partition and offset it was written at, with an error naming
 * what was wrong; every valid post must be scored exactly once, and nothing malformed scored. The rate with and
 * without the mix is printed as a figure, not asserted.
 *
 * <p>{@code -Dpulse.fault.malformed=N} (default 10,000) malformed records, {@code -Dpulse.fault.valid=N} (default
 * 10,000) valid posts.
 */
class MalformedRecordsTest {
  private static final int MALFORMED = Integer.getInteger("pulse.fault.malformed", 10_000);
  private static final int VALID = Integer.getInteger("pulse.fault.valid", 10_000);
  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.builder("pulse-malformed-records-test")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** One kind of malformed record: how it is made and what its dead letter's error must say. */
  private enum Kind {
    NOT_JSON(e -> e.startsWith("malformed JSON")),
    MISSING_FIELD(e -> e.contains("id") || e.contains("text") || e.contains("createdAt")),
    WRONG_TYPE(e -> e.startsWith("field 'createdAt'") || e.startsWith("field 'source'")
        || e.startsWith("field 'engagement")),
    INVALID_UTF8(e -> e.contains("UTF-8") || e.contains("UTF8")),
    EMPTY(e -> e.equals("empty record")),
    OVERSIZED(e -> e.startsWith("malformed JSON") && e.contains("[original truncated to its first 65536 of "));

    final Predicate<String> reason;

    Kind(Predicate<String> reason) {
      this.reason = reason;
    }
  }

  private static Post post(String id, int i) {
    String text = switch (i % 3) {
      case 0 -> "I love this phone, great battery " + i;
      case 1 -> "terrible service, awful and broken " + i;
      default -> "the store opens at nine " + i;
    };
    return Post.of(id, Source.X, "acme-x", "h" + i, text, "en", T0.plusMillis(i), T0.plusMillis(i), null, null,
        Engagement.NONE);
  }

  private static byte[] malformed(Kind kind, int i) throws Exception {
    ObjectNode tree = (ObjectNode) JSON.readTree(EventJson.toBytes(post("bad-" + i, i)));
    switch (kind) {
      case NOT_JSON:
        return ("not json at all #" + i + " {\"id\": ").getBytes(StandardCharsets.UTF_8);
      case MISSING_FIELD:
        tree.remove(List.of("id", "text", "createdAt").get(i % 3));
        return JSON.writeValueAsBytes(tree);
      case WRONG_TYPE:
        switch (i % 3) {
          case 0 -> tree.put("createdAt", true);
          case 1 -> tree.put("source", "MYSPACE");
          default -> tree.put("engagement", "lots");
        }
        return JSON.writeValueAsBytes(tree);
      case INVALID_UTF8: {
        byte[] json = JSON.writeValueAsBytes(tree);
        String s = new String(json, StandardCharsets.UTF_8);
        int at = s.indexOf("phone") >= 0 ? s.indexOf("phone") : s.indexOf("store") >= 0 ? s.indexOf("store")
            : s.indexOf("service");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(json, 0, at);
        out.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}); // a lead byte without its continuation
        out.write(json, at, json.length - at);
        return out.toByteArray();
      }
      case EMPTY:
        return i % 2 == 0 ? new byte[0] : null;
      case OVERSIZED:
        return ("{\"schemaVersion\":1,\"id\":\"bad-" + i + "\",\"text\":\"" + "x".repeat(200 * 1024))
            .getBytes(StandardCharsets.UTF_8);
      default:
        throw new IllegalArgumentException(kind.name());
    }
  }

  /** Kinds in turn; one in every 100 is oversized (200 KiB each: enough to test the cap, not to swamp the broker). */
  private static Kind kindOf(int i) {
    return i % 100 == 99 ? Kind.OVERSIZED : Kind.values()[i % 5];
  }

  private record Feed(String topic, Map<String, Kind> malformedAt, Set<String> validIds) {}

  private static Feed produce(EmbeddedKafka kafka, String topic, int valid, int malformed, String idPrefix)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    Map<Future<RecordMetadata>, Kind> bad = new HashMap<>();
    Set<String> ids = new HashSet<>();
    List<Future<RecordMetadata>> all = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      // One valid post per partition first, each acknowledged: a topic just created may not have its leader in place
      // on the broker yet, and a bulk of in-flight batches retried on NOT_LEADER_OR_FOLLOWER left this idempotent
      // producer stuck on OUT_OF_ORDER_SEQUENCE_NUMBER until its batches expired (seen on a loaded machine).
      for (int partition = 0; partition < 3; partition++) {
        String id = idPrefix + "probe-" + partition;
        ids.add(id);
        producer.send(new ProducerRecord<>(topic, partition, id, EventJson.toBytes(post(id, partition)))).get();
      }
      int v = 0;
      int m = 0;
      // Interleaved: about one malformed record per valid post, spread over the whole feed.
      while (v < valid || m < malformed) {
        if (v < valid && (m >= malformed || (long) v * malformed <= (long) m * valid)) {
          String id = idPrefix + v;
          ids.add(id);
          all.add(producer.send(new ProducerRecord<>(topic, id, EventJson.toBytes(post(id, v)))));
          v++;
        } else {
          Kind kind = kindOf(m);
          Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, null, malformed(kind, m)));
          bad.put(sent, kind);
          all.add(sent);
          m++;
        }
      }
      producer.flush();
    }
    Map<String, Kind> at = new HashMap<>();
    for (Future<RecordMetadata> f : all) {
      RecordMetadata md = f.get();
      if (bad.containsKey(f)) {
        at.put(md.partition() + ":" + md.offset(), bad.get(f));
      }
    }
    return new Feed(topic, at, ids);
  }

  /** Rows per second over the query's batches (planning and commits included, the query's start-up not). */
  private record Run(long rows, long millis) {
    double perSecond(long n) {
      return millis == 0 ? 0 : n * 1000.0 / millis;
    }
  }

  private Run runToEnd(EmbeddedKafka kafka, Feed feed, String scored, String dead) throws Exception {
    PostScorer scorer = new LightPostScorer(SentimentScorer.lexicon(new Glossary(List.of(), List.of("recall"))));
    JobConfig config = new JobConfig(kafka.bootstrapServers(), List.of(feed.topic()), scored, dead,
        dir.resolve("checkpoint-" + feed.topic()).toString(), Duration.ofMinutes(10), null, true);
    StreamingQuery query = ScoredPostsJob.start(spark, config, scorer);
    assertThat(query.awaitTermination(300_000)).as("the available-now run finishes").isTrue();
    assertThat(query.exception().isEmpty()).as("the query did not fail").isTrue();
    long rows = 0;
    long millis = 0;
    for (StreamingQueryProgress progress : query.recentProgress()) {
      rows += progress.numInputRows();
      Long took = progress.durationMs().get("triggerExecution");
      millis += progress.numInputRows() > 0 && took != null ? took : 0;
    }
    return new Run(rows, millis);
  }

  private static String[] topics(EmbeddedKafka kafka, String name) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String[] t = {"feed-" + name + "-" + suffix, "scored-" + name + "-" + suffix, "dead-" + name + "-" + suffix};
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(t), 3);
    return t;
  }

  @Test
  void everyMalformedRecordIsDeadLetteredWithItsReasonAndEveryValidPostScoredOnce() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    // Warm-up (JIT, Spark's first plans), so that neither measured run pays for it.
    String[] warm = topics(kafka, "warm");
    runToEnd(kafka, produce(kafka, warm[0], 500, 500, "w-"), warm[1], warm[2]);

    String[] clean = topics(kafka, "clean");
    Feed cleanFeed = produce(kafka, clean[0], VALID, 0, "c-");
    Run cleanRun = runToEnd(kafka, cleanFeed, clean[1], clean[2]);

    String[] mixed = topics(kafka, "mixed");
    Feed feed = produce(kafka, mixed[0], VALID, MALFORMED, "v-");
    assertThat(feed.malformedAt()).hasSize(MALFORMED);
    Run mixedRun = runToEnd(kafka, feed, mixed[1], mixed[2]);

    List<ScoredPost> scored = kafka.readAll(mixed[1], feed.validIds().size(), Duration.ofSeconds(2)).stream()
        .map(r -> EventJson.read(r.value(), ScoredPost.class)).toList();
    List<String> scoredIds = scored.stream().map(s -> s.post().id()).toList();
    assertThat(scoredIds).as("every valid post scored exactly once").doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(feed.validIds());
    assertThat(scoredIds).as("nothing malformed scored").noneMatch(id -> id.startsWith("bad-"));

    List<DeadLetter> dead = kafka.readAll(mixed[2], MALFORMED, Duration.ofSeconds(2)).stream()
        .map(r -> EventJson.read(r.value(), DeadLetter.class)).toList();
    Map<String, DeadLetter> deadAt = new HashMap<>();
    for (DeadLetter d : dead) {
      assertThat(d.sourceTopic()).isEqualTo(mixed[0]);
      assertThat(deadAt.put(d.partition() + ":" + d.offset(), d)).as("one dead letter per record").isNull();
    }
    assertThat(deadAt.keySet()).as("every malformed record dead-lettered, nothing else")
        .containsExactlyInAnyOrderElementsOf(feed.malformedAt().keySet());
    Map<Kind, Integer> perKind = new java.util.EnumMap<>(Kind.class);
    feed.malformedAt().forEach((where, kind) -> {
      DeadLetter d = deadAt.get(where);
      assertThat(d.error()).as("the reason of a %s record at %s", kind, where).matches(kind.reason);
      assertThat(d.original().length).as("a dead letter keeps at most 64 KiB")
          .isLessThanOrEqualTo(64 * 1024);
      perKind.merge(kind, 1, Integer::sum);
    });
    assertThat(perKind.keySet()).containsExactlyInAnyOrder(Kind.values());

    System.out.printf("%nFAULT-SUITE malformed records (Spark local[2], lexicon tier, embedded broker): "
            + "clean feed %d posts in %d ms = %.0f posts/s; mixed feed %d valid + %d malformed %s in %d ms = "
            + "%.0f records/s, %.0f valid posts/s (%.0f %% of the clean rate)%n",
        VALID, cleanRun.millis(), cleanRun.perSecond(VALID), VALID, MALFORMED,
        perKind.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",", "[", "]")),
        mixedRun.millis(), mixedRun.perSecond(VALID + MALFORMED), mixedRun.perSecond(VALID),
        100.0 * mixedRun.perSecond(VALID) / cleanRun.perSecond(VALID));
  }
}
