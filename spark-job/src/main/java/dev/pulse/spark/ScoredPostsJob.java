package dev.pulse.spark;

import dev.pulse.stream.RecentIds;

import dev.pulse.stream.AsyncEscalation;
import dev.pulse.stream.DeadLetters;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.PostScorer;
import dev.pulse.stream.RecordRouter;
import dev.pulse.stream.ScoreSpans;

import dev.pulse.event.EventJson;
import dev.pulse.event.LabelledExamples;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The scored-posts query: Kafka feed topics → parse + clean ({@link RecordRouter}) → dedup by post id within a
 * watermark → light scoring, LLM escalation and vector upsert ({@link PostProcessor}) → the scored-posts topic, with every invalid record sent to the
 * dead-letter topic by the same query (the Kafka sink's per-row {@code topic} column), so a record is either scored
 * or dead-lettered, never dropped. An LLM verdict that disagrees confidently with the post's light score also goes,
 * in the same write, to the labelled topic beside the scored one ({@link LabelledExamples}), keyed by post id: it is
 * written exactly when its scored post is (a batch replayed after a failure writes both again, same key). The watermark runs on the Kafka record timestamp (when the ingester produced
 * it), not on the post's own creation time, so an old post (a news backfill) is never late.
 *
 * <p>Traces: the feed record's W3C {@code traceparent} header (the ingester's span) is read with the record; on the
 * executor each traced post gets the stream core's "score" span ({@link ScoreSpans}, as ./pulse local makes it,
 * with the executor JVM's {@link ExecutorTracing}), the gateway call that escalates it carries that span, and its
 * scored record carries it in its headers for the dashboard's push span. With tracing off in the executor the
 * ingester's traceparent passes on unchanged; dead letters carry it too.
 */
public final class ScoredPostsJob {
  static final StructType ROUTED = new StructType()
      .add("dead", DataTypes.BooleanType, false)
      .add("key", DataTypes.StringType, false)
      .add("json", DataTypes.BinaryType, false)
      .add("kafkaTime", DataTypes.TimestampType, false)
      .add("topic", DataTypes.StringType, false)
      .add("partition", DataTypes.IntegerType, false)
      .add("offset", DataTypes.LongType, false)
      .add("traceparent", DataTypes.BinaryType, true); // the feed record's, null for a record without a trace
  /** A Kafka sink's row (topic, key, value), as the aggregates query writes it. */
  static final StructType OUT = new StructType()
      .add("topic", DataTypes.StringType, false)
      .add("key", DataTypes.StringType, false)
      .add("value", DataTypes.BinaryType, false);
  /** This query's rows: with the Kafka sink's record headers (its type for them), the traceparent or null. */
  static final StructType OUT_WITH_HEADERS = OUT
      .add("headers", DataTypes.createArrayType(new StructType()
          .add("key", DataTypes.StringType).add("value", DataTypes.BinaryType)), true);
  /** The position of the traceparent in a routed row. */
  private static final int TRACEPARENT = 7;

  private ScoredPostsJob() {}

  public static StreamingQuery start(SparkSession spark, JobConfig config, PostScorer scorer)
      throws TimeoutException {
    return start(spark, config, PostProcessor.lightOnly(scorer));
  }

  /**
   * Starts the query. In real-time mode (Spark 4.1 supports stateless queries only there) Spark's dedup step is
   * replaced by {@link RecentIds}, in the executor's memory: exact while the executor lives, and a repeat that
   * passes after a restart overwrites its own Qdrant point (same point id) and is dropped by the aggregates query.
   */
  public static StreamingQuery start(SparkSession spark, JobConfig config, PostProcessor processor)
      throws TimeoutException {
    Dataset<Row> kafka = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", config.bootstrapServers())
        .options(config.kafkaSecurity())
        .option("subscribe", String.join(",", config.feedTopics()))
        // Ingesters write each poll in a transaction (their cursor rides in it): an aborted batch is re-sent.
        .option("kafka.isolation.level", "read_committed")
        .option("startingOffsets", "earliest")
        // Offsets deleted by retention (a pipeline suspended longer than it) are skipped, counted and logged by
        // LostOffsets, instead of failing every start of the query for good.
        .option("failOnDataLoss", "false")
        // The ingester's trace context rides in each record's headers (W3C traceparent).
        .option("includeHeaders", "true")
        .load();

    RecordRouter router = new RecordRouter(processor.pipeline()); // its dead letters count under the pipeline
    Dataset<Row> routed = kafka.selectExpr("value", "topic", "partition", "offset", "timestamp",
            // Only the traceparent (the last, as Kafka's lastHeader), not every header as Java objects.
            "try_element_at(filter(headers, h -> h.key = 'traceparent'), -1).value AS traceparent")
        .map((MapFunction<Row, Row>) r -> {
          // By position (value, topic, partition, offset, timestamp, traceparent): real-time mode's rows carry no
          // schema.
          RecordRouter.Routed out = router.route((byte[]) r.get(0), r.getString(1), r.getInt(2), r.getLong(3),
              Instant.now());
          return RowFactory.create(out.dead(), out.key(), out.json(), (Timestamp) r.get(4), r.getString(1),
              r.getInt(2), r.getLong(3), r.get(5));
        }, Encoders.row(ROUTED));

    Dataset<Row> deduped = config.realTime() ? routed : routed
        .withWatermark("kafkaTime", config.dedupWatermark().toMillis() + " milliseconds")
        .dropDuplicatesWithinWatermark("key");

    String scoredTopic = config.scoredTopic();
    String deadTopic = config.deadLetterTopic();
    int chunk = config.realTime() ? 1 : CHUNK;
    boolean realTime = config.realTime();
    String query = config.checkpointLocation();
    Duration horizon = config.dedupWatermark();
    int maxIds = config.dedupMaxIds();
    Dataset<Row> out = deduped.mapPartitions(
        (MapPartitionsFunction<Row, Row>) rows -> score(rows, processor, scoredTopic, deadTopic, chunk,
            realTime ? RecentIds.of(query, horizon, maxIds) : null),
        Encoders.row(OUT_WITH_HEADERS));

    DataStreamWriter<Row> writer = out.writeStream().format("kafka")
        .option("kafka.bootstrap.servers", config.bootstrapServers())
        .options(config.kafkaSecurity())
        .option("kafka.acks", "all")
        .option("checkpointLocation", config.checkpointLocation())
        .queryName("scored-posts");
    if (config.availableNow()) {
      writer = writer.trigger(Trigger.AvailableNow());
    } else if (config.realTime()) {
      // The interval is the checkpoint interval there; records flow through long-running tasks.
      writer = writer.outputMode("update").trigger(Trigger.RealTime(Math.max(config.trigger() == null ? 0
          : config.trigger().toMillis(), 5_000L)));
    } else if (config.trigger() != null) {
      writer = writer.trigger(Trigger.ProcessingTime(config.trigger().toMillis()));
    }
    if (config.realTime() || config.availableNow()) {
      return writer.start();
    }
    // No "no-data" batches for this query: after each batch that moves the dedup's watermark Spark otherwise runs
    // one more batch with no rows, only to evict expired post ids, and a post arriving meanwhile waits for it (a
    // stateful stage on the executor). The ids are evicted just the same at the next batch with rows. The query
    // takes a copy of the session's conf when it starts, so the setting is its own; the aggregates query keeps
    // no-data batches (they close its windows when no post comes).
    String before = spark.conf().get(NO_DATA_BATCHES, null);
    spark.conf().set(NO_DATA_BATCHES, "false");
    try {
      return writer.start();
    } finally {
      if (before == null) {
        spark.conf().unset(NO_DATA_BATCHES);
      } else {
        spark.conf().set(NO_DATA_BATCHES, before);
      }
    }
  }

  static final String NO_DATA_BATCHES = "spark.sql.streaming.noDataMicroBatches.enabled";

  /** Posts scored per call of the processor in micro-batch mode: bounds memory and each LLM/Qdrant request set. */
  static final int CHUNK = 512;

  /**
   * Scores a partition lazily, {@code chunk} rows at a time; dead letters pass through to their topic, and the LLM's
   * confident disagreements go to {@code LabelledExamples.topicFor(scoredTopic)}. In real-time
   * mode the partition's iterator lasts the whole checkpoint interval and blocks while no record arrives, so there
   * the chunk is one row: each post goes out as soon as it is scored.
   */
  static Iterator<Row> score(Iterator<Row> rows, PostProcessor processor, String scoredTopic, String deadTopic,
      int chunk, RecentIds dedup) {
    // One per task (its thread): the executor JVM's tracing, made on its first task.
    ScoreSpans spans = new ScoreSpans(ExecutorTracing.current(), processor.pipeline());
    return new Iterator<>() {
      private Iterator<Row> current = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && rows.hasNext()) {
          current = scoreChunk(rows, processor, scoredTopic, deadTopic, chunk, dedup, spans).iterator();
        }
        return current.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        return current.next();
      }
    };
  }

  private static List<Row> scoreChunk(Iterator<Row> rows, PostProcessor processor, String scoredTopic,
      String deadTopic, int chunk, RecentIds dedup, ScoreSpans spans) {
    List<Row> out = new ArrayList<>();
    List<Post> posts = new ArrayList<>();
    java.util.Map<Post, Row> readFrom = new java.util.IdentityHashMap<>();
    java.util.Map<String, byte[]> ingestTrace = new java.util.HashMap<>();
    for (int n = 0; n < chunk && rows.hasNext(); n++) {
      Row r = rows.next(); // ROUTED, by position: without a dedup step Spark hands over rows without a schema
      byte[] traceparent = traceparent(r);
      if (r.getBoolean(0)) {
        out.add(RowFactory.create(deadTopic, r.getString(1), r.get(2), headers(traceparent)));
      } else if (dedup != null
          && dedup.isRepeat(r.getString(1), r.getString(4), r.getInt(5), r.getLong(6),
              ((Timestamp) r.get(3)).getTime())) {
        continue; // a repeat of a post already scored: not lost, just not scored twice
      } else {
        Post post = EventJson.read((byte[]) r.get(2), Post.class);
        posts.add(post);
        readFrom.put(post, r);
        if (traceparent != null) {
          ingestTrace.put(post.id(), traceparent);
          spans.read(post.id(), new RecordHeaders().add("traceparent", traceparent));
        }
      }
    }
    Instant now = Instant.now();
    // One post that makes scoring throw is dead-lettered with the reason; the task and the other posts go on.
    PostProcessor.Outcome outcome = processor.processEach(posts, now);
    for (ScoredPost scored : outcome.scored()) {
      String id = scored.post().id();
      out.add(RowFactory.create(scoredTopic, id, EventJson.toBytes(scored), headers(carriedOn(spans, id,
          ingestTrace.get(id)))));
    }
    String labelledTopic = outcome.disagreements().isEmpty() ? null : LabelledExamples.topicFor(scoredTopic);
    for (AsyncEscalation.Disagreement d : outcome.disagreements()) {
      out.add(RowFactory.create(labelledTopic, d.light().post().id(),
          LabelledExamples.fromLlm(d.light(), d.verdict(), now), null));
    }
    for (PostProcessor.Failed failed : outcome.failed()) {
      Row r = readFrom.get(failed.post());
      out.add(RowFactory.create(deadTopic, "dlq:" + r.getString(4) + ":" + r.getInt(5) + ":" + r.getLong(6),
          EventJson.toBytes(DeadLetters.of((byte[]) r.get(2), failed.reason(), r.getString(4), r.getInt(5),
              r.getLong(6), now)), headers(traceparent(r))));
    }
    // Ends the chunk's score spans as its rows go to the sink (./pulse local ends them once written).
    spans.written(outcome.scored());
    return out;
  }

  /** A routed row's traceparent; rows made without the column (before it existed) carry none. */
  private static byte[] traceparent(Row routed) {
    return routed.size() > TRACEPARENT ? (byte[]) routed.get(TRACEPARENT) : null;
  }

  /** The scored record's traceparent: its score span's, or the ingester's unchanged when the span is off. */
  private static byte[] carriedOn(ScoreSpans spans, String postId, byte[] ingest) {
    Headers h = new RecordHeaders();
    return spans.inject(postId, h) ? h.lastHeader("traceparent").value() : ingest;
  }

  /** The Kafka sink's headers column: one traceparent header, or none. */
  private static scala.collection.immutable.Seq<Row> headers(byte[] traceparent) {
    return traceparent == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(
        List.of(RowFactory.create("traceparent", traceparent))).toList();
  }
}
