package dev.pulse.spark;

import dev.pulse.stream.WindowBook;

import dev.pulse.stream.AlertRule;

import dev.pulse.event.Alert;
import dev.pulse.event.EventJson;
import dev.pulse.event.Parsed;
import dev.pulse.event.ScoredPost;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregates-and-alerts query, a micro-batch query beside the scored-posts one (it is stateful, which Spark
 * 4.1's real-time mode does not run): scored-posts topic → one row per aggregation key of each post (roll-up, per
 * source, per geo cell) → event-time watermark on the post's {@code ingestedAt} → per key, a {@link WindowBook} in
 * Spark's state store ({@code flatMapGroupsWithState}, event-time timeouts) → when the watermark passes a window's
 * end: its {@code Aggregate} to the aggregates topic and, from the roll-up, its alerts to the alerts topic. A post
 * id is counted once per key within the lateness, however often the scored topic holds it.
 * Windows are tumbling, of the crisis rule's length. It reads the scored topic rather than sharing the first
 * query's plan so that the latency-critical path can run in real-time mode.
 */
public final class AggregatesJob {
  private static final Logger LOG = LoggerFactory.getLogger(AggregatesJob.class);

  /**
   * Where it reads and writes. {@code lateness}: how far behind the newest post a window still takes posts.
   * {@code kafkaSecurity}: the {@code kafka.}-prefixed TLS/SASL options ({@link dev.pulse.contract.KafkaClientEnv#sparkOptions}); empty = PLAINTEXT.
   */
  public record Config(String bootstrapServers, String scoredTopic, String aggregatesTopic, String alertsTopic,
      String checkpointLocation, Duration lateness, Duration trigger, boolean availableNow,
      java.util.Map<String, String> kafkaSecurity) {
    public Config {
      kafkaSecurity = kafkaSecurity == null ? java.util.Map.of() : java.util.Map.copyOf(kafkaSecurity);
    }

    public Config(String bootstrapServers, String scoredTopic, String aggregatesTopic, String alertsTopic,
        String checkpointLocation, Duration lateness, Duration trigger, boolean availableNow) {
      this(bootstrapServers, scoredTopic, aggregatesTopic, alertsTopic, checkpointLocation, lateness, trigger,
          availableNow, java.util.Map.of());
    }
  }

  static final StructType KEYED = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("eventTime", DataTypes.TimestampType, false)
      .add("json", DataTypes.BinaryType, false)
      .add("postId", DataTypes.StringType, false);

  private AggregatesJob() {}

  public static StreamingQuery start(SparkSession spark, Config config, AlertRule rule) throws TimeoutException {
    Dataset<Row> scored = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", config.bootstrapServers())
        .options(config.kafkaSecurity())
        .option("subscribe", config.scoredTopic())
        .option("startingOffsets", "earliest")
        .option("failOnDataLoss", "false") // skipped offsets are counted and logged by LostOffsets
        .load()
        .select("value");

    Dataset<Row> keyed = scored.flatMap((FlatMapFunction<Row, Row>) r -> explode((byte[]) r.get(0)),
        Encoders.row(KEYED));

    String aggregatesTopic = config.aggregatesTopic();
    String alertsTopic = config.alertsTopic();
    // The scored topic can hold a post twice: the Kafka sink is at-least-once (a micro-batch re-run after a crash
    // writes again), and real-time mode's dedup lives in executor memory. Counting each post id once per key here,
    // in checkpointed state, is what keeps the aggregates and alerts exact across restarts.
    Dataset<Row> out = keyed
        .withWatermark("eventTime", config.lateness().toMillis() + " milliseconds")
        .dropDuplicatesWithinWatermark("key", "postId")
        .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
        .flatMapGroupsWithState(
            (FlatMapGroupsWithStateFunction<String, Row, WindowBook, Row>) (key, rows, state) ->
                update(key, rows, state, rule, aggregatesTopic, alertsTopic),
            OutputMode.Append(), Encoders.javaSerialization(WindowBook.class), Encoders.row(ScoredPostsJob.OUT),
            GroupStateTimeout.EventTimeTimeout());

    DataStreamWriter<Row> writer = out.writeStream().format("kafka")
        .outputMode("append")
        .option("kafka.bootstrap.servers", config.bootstrapServers())
        .options(config.kafkaSecurity())
        .option("kafka.acks", "all")
        .option("checkpointLocation", config.checkpointLocation())
        .queryName("aggregates-alerts");
    if (config.availableNow()) {
      writer = writer.trigger(Trigger.AvailableNow());
    } else if (config.trigger() != null) {
      writer = writer.trigger(Trigger.ProcessingTime(trigger(config.trigger()).toMillis()));
    }
    return writer.start();
  }

  /**
   * The aggregates query runs at most every {@link #MIN_TRIGGER}. Each of its batches runs three stateful steps
   * (~1-2.5 s of one executor core on the minimal pipeline) and every scored-posts batch gives it new rows, so at the
   * scored-posts query's 1 s trigger it kept the executor busy and the scored posts waited behind it (p99 2-3.5 s on
   * the cluster). Its windows are minutes long and an alert waits for the watermark anyway: 5 s changes nothing a
   * user sees, and takes four fifths of its load off the scoring path.
   */
  static final Duration MIN_TRIGGER = Duration.ofSeconds(5);

  static Duration trigger(Duration asked) {
    return asked.compareTo(MIN_TRIGGER) < 0 ? MIN_TRIGGER : asked;
  }

  /** One row per aggregation key of a scored post; a record that is not a scored post is logged and skipped. */
  static Iterator<Row> explode(byte[] value) {
    Parsed<ScoredPost> parsed = EventJson.parse(value, ScoredPost.class);
    if (!(parsed instanceof Parsed.Valid<ScoredPost> valid)) {
      LOG.warn("skipped a record of the scored topic: {}", ((Parsed.Invalid<ScoredPost>) parsed).reason());
      return java.util.Collections.emptyIterator();
    }
    ScoredPost p = valid.value();
    Timestamp t = Timestamp.from(p.post().ingestedAt());
    List<Row> rows = new ArrayList<>(3);
    for (String k : WindowBook.keysOf(p.post())) rows.add(RowFactory.create(k, t, value, p.post().id()));
    return rows.iterator();
  }

  static Iterator<Row> update(String key, Iterator<Row> rows, GroupState<WindowBook> state, AlertRule rule,
      String aggregatesTopic, String alertsTopic) {
    WindowBook book = state.exists() ? state.get() : new WindowBook();
    while (rows.hasNext()) {
      Row r = rows.next();
      // KEYED, by position (rows may come without a schema)
      book.add(EventJson.read((byte[]) r.get(2), ScoredPost.class), ((Timestamp) r.get(1)).getTime(), rule);
    }
    List<Row> out = new ArrayList<>();
    long watermark = state.getCurrentWatermarkMs();
    for (WindowBook.Closed c : book.close(watermark, key, rule, Instant.now())) {
      out.add(RowFactory.create(aggregatesTopic, key + "|" + c.aggregate().windowStart(),
          EventJson.toBytes(c.aggregate())));
      for (Alert a : c.alerts()) {
        out.add(RowFactory.create(alertsTopic, a.kind() + "|" + a.windowStart(), EventJson.toBytes(a)));
      }
    }
    state.update(book);
    long deadline = book.nextDeadline(rule);
    if (deadline > 0) {
      state.setTimeoutTimestamp(Math.max(deadline, watermark + 1));
    }
    return out.iterator();
  }
}
