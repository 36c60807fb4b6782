package dev.pulse.stream;

import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Spark job's two queries as one in-process loop over batches of feed records, for {@code ./pulse local}: the
 * same steps on the same classes, so a local run shows what a cluster would.
 * <ol>
 *   <li>scored posts: {@link RecordRouter} (parse, clean, or dead letter) → {@link RecentIds} (dedup by post id on
 *       the Kafka record time, as the job's real-time mode) → {@link PostProcessor} (light scoring, LLM escalation,
 *       vectors);</li>
 *   <li>aggregates and alerts: for each scored post its aggregation keys ({@link WindowBook#keysOf}), counted once per
 *       key and post id within the watermark (the job's {@code dropDuplicatesWithinWatermark}), into one
 *       {@link WindowBook} per key; the watermark is the newest {@code ingestedAt} minus the aggregates' lateness, and
 *       a window closes when it passes the window's end, with its {@link Aggregate} and, from the roll-up, its
 *       {@link Alert}s ({@link AlertRules}).</li>
 * </ol>
 * The outputs carry the same Kafka keys as the job's. Not thread-safe: one loop drives it.
 */
public final class StreamEngine {
  /** A feed record as read from Kafka. */
  public record Record(byte[] value, String topic, int partition, long offset, long timestampMillis) {}

  /** A record for an output topic, keyed as the Spark job keys it. */
  public record Out(String topic, String key, byte[] value) {}

  /** What one batch produced, typed, and as the records to write. */
  public record Output(List<ScoredPost> scored, int deadLetters, List<Aggregate> aggregates, List<Alert> alerts,
      List<Out> records) {}

  private final PipelineSettings settings;
  private final PostProcessor processor;
  private final AlertRule rule;
  private final Clock clock;
  private final RecordRouter router;
  private final RecentIds recent;
  private final long latenessMillis;
  private final Map<String, WindowBook> books = new TreeMap<>();
  private final Map<String, Long> counted = new HashMap<>();
  private long newestEventMillis = Long.MIN_VALUE;
  private long watermarkMillis = 0; // Spark's first watermark, before any data
  private long late;

  public StreamEngine(PipelineSettings settings, PostProcessor processor, Clock clock) {
    this.settings = settings;
    this.processor = processor;
    this.rule = settings.alertRule();
    this.clock = clock;
    this.router = new RecordRouter(settings.pipeline());
    this.recent = new RecentIds(settings.watermark(), settings.dedupMaxIds());
    this.latenessMillis = settings.aggregatesLateness().toMillis();
  }

  /** Processes one batch of feed records: scores them, then closes the windows the new watermark passes. */
  public Output process(List<Record> batch) {
    Instant now = clock.instant();
    List<Out> out = new ArrayList<>();
    List<Post> posts = new ArrayList<>();
    Map<Post, Record> recordOf = new java.util.IdentityHashMap<>();
    int dead = 0;
    for (Record r : batch) {
      RecordRouter.Routed routed = router.route(r.value(), r.topic(), r.partition(), r.offset(), now);
      if (routed.dead()) {
        dead++;
        out.add(new Out(settings.deadLetterTopic(), routed.key(), routed.json()));
      } else if (!recent.isRepeat(routed.key(), r.topic(), r.partition(), r.offset(), r.timestampMillis())) {
        Post post = EventJson.read(routed.json(), Post.class);
        posts.add(post);
        recordOf.put(post, r);
      }
    }
    PostProcessor.Outcome outcome = processor.processEach(posts, now);
    for (PostProcessor.Failed failed : outcome.failed()) {
      // As the Spark job does: the post that made scoring throw is dead-lettered alone, with its record's bytes.
      dead++;
      Record r = recordOf.get(failed.post());
      out.add(new Out(settings.deadLetterTopic(), "dlq:" + r.topic() + ":" + r.partition() + ":" + r.offset(),
          EventJson.toBytes(DeadLetters.of(r.value(), failed.reason(), r.topic(), r.partition(), r.offset(), now))));
    }
    List<ScoredPost> scored = outcome.scored();
    for (ScoredPost s : scored) {
      out.add(new Out(settings.scoredTopic(), s.post().id(), EventJson.toBytes(s)));
      count(s);
    }
    List<Aggregate> aggregates = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    close(now, aggregates, alerts, out);
    return new Output(scored, dead, aggregates, alerts, out);
  }

  /** Into each of the post's keys, once per key and post id; a post behind the watermark is late and left out. */
  private void count(ScoredPost s) {
    long event = s.post().ingestedAt().toEpochMilli();
    if (event < watermarkMillis) {
      late++;
      return;
    }
    newestEventMillis = Math.max(newestEventMillis, event);
    for (String key : WindowBook.keysOf(s.post())) {
      if (counted.putIfAbsent(key + "|" + s.post().id(), event) != null) continue;
      books.computeIfAbsent(key, k -> new WindowBook()).add(s, event, rule);
    }
  }

  private void close(Instant now, List<Aggregate> aggregates, List<Alert> alerts, List<Out> out) {
    if (newestEventMillis == Long.MIN_VALUE) return;
    watermarkMillis = Math.max(watermarkMillis, newestEventMillis - latenessMillis);
    counted.values().removeIf(t -> t < watermarkMillis);
    for (Map.Entry<String, WindowBook> e : books.entrySet()) {
      for (WindowBook.Closed c : e.getValue().close(watermarkMillis, e.getKey(), rule, now)) {
        aggregates.add(c.aggregate());
        out.add(new Out(settings.aggregatesTopic(), e.getKey() + "|" + c.aggregate().windowStart(),
            EventJson.toBytes(c.aggregate())));
        for (Alert a : c.alerts()) {
          alerts.add(a);
          out.add(new Out(settings.alertsTopic(), a.kind() + "|" + a.windowStart(), EventJson.toBytes(a)));
        }
      }
    }
  }

  /** Posts left out of the aggregates because their window had passed the watermark. */
  public long late() {
    long inBooks = 0;
    for (Iterator<WindowBook> it = books.values().iterator(); it.hasNext(); ) inBooks += it.next().late();
    return late + inBooks;
  }

  /** Feed posts dropped as repeats of one already scored. */
  public long repeats() {
    return recent.repeats();
  }
}
