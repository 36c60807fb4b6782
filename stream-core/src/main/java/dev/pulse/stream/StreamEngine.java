package dev.pulse.stream;

import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.EventJson;
import dev.pulse.event.LabelledExamples;
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
 *
 * <p>Unlike the job, whose micro-batch waits for its escalations, the loop never waits for the LLM: when the
 * processor escalates, each post's light score is published at once (the unsure ones marked pending) and counted in
 * the aggregates, the unsure ones go to the gateway off the loop ({@link AsyncEscalation}), and the verdicts come out
 * of a later {@link #process} call as updates of the same posts (same key). A post awaiting its verdict is counted in
 * the aggregates with the verdict's label, as the job counts it: until then the watermark stays at the oldest such
 * post, so its window closes only once the verdict is in (the LLM delays alerts, not the posts).
 */
public final class StreamEngine implements AutoCloseable {
  /** Posts that may wait for the LLM at once; beyond, unsure posts keep their light score (FALLBACK, overloaded). */
  static final int MAX_IN_FLIGHT = 64;
  /** Concurrent gateway calls: one CPU engine answers about one post a second, more callers only queue there. */
  static final int ESCALATION_WORKERS = 2;

  /** A feed record as read from Kafka. */
  public record Record(byte[] value, String topic, int partition, long offset, long timestampMillis) {}

  /** A record for an output topic, keyed as the Spark job keys it. */
  public record Out(String topic, String key, byte[] value) {}

  /**
   * What one batch produced, typed, and as the records to write. {@code verdicts}: the LLM's verdicts on posts
   * published earlier, as updates (their records are among {@code records}).
   */
  public record Output(List<ScoredPost> scored, int deadLetters, List<Aggregate> aggregates, List<Alert> alerts,
      List<Out> records, List<ScoredPost> verdicts) {}

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
  private final AsyncEscalation escalation;
  /** Where confident disagreements of the LLM with the light scorer go ({@link LabelledExamples}). */
  private final String labelledTopic;
  /** Posts published with their light score whose verdict is awaited: id → ingestion time (held out of the windows). */
  private final Map<String, Long> awaited = new HashMap<>();

  public StreamEngine(PipelineSettings settings, PostProcessor processor, Clock clock) {
    this.settings = settings;
    this.escalation = processor.escalator() == null ? null
        : new AsyncEscalation(processor.escalator(), processor.pipeline(), MAX_IN_FLIGHT,
            Math.min(LlmEscalator.GATEWAY_MAX_BATCH, settings.llmBatchSize()), ESCALATION_WORKERS, clock);
    this.processor = processor.withoutEscalation();
    this.labelledTopic = LabelledExamples.topicFor(settings.scoredTopic());
    this.rule = settings.alertRule();
    this.clock = clock;
    this.router = new RecordRouter(settings.pipeline());
    this.recent = new RecentIds(settings.watermark(), settings.dedupMaxIds());
    this.latenessMillis = settings.aggregatesLateness().toMillis();
  }

  /**
   * Processes one batch of feed records (it may be empty): scores them, then closes the windows the new watermark
   * passes, and adds the LLM verdicts that came back since the last call.
   */
  public Output process(List<Record> batch) {
    Instant now = clock.instant();
    List<Out> out = new ArrayList<>();
    // Disagreements first: each has its verdict queued after it, so none is drained without the other.
    List<AsyncEscalation.Disagreement> disagreements =
        escalation == null ? List.of() : escalation.drainDisagreements();
    for (AsyncEscalation.Disagreement d : disagreements) {
      out.add(new Out(labelledTopic, d.light().post().id(), LabelledExamples.fromLlm(d.light(), d.verdict(), now)));
    }
    List<ScoredPost> verdicts = escalation == null ? List.of() : escalation.drain();
    for (ScoredPost v : verdicts) {
      out.add(new Out(settings.scoredTopic(), v.post().id(), EventJson.toBytes(v)));
      if (awaited.remove(v.post().id()) != null) count(v);
    }
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
    List<ScoredPost> scored = escalation == null ? outcome.scored() : escalation.submit(outcome.scored(), now);
    for (ScoredPost s : scored) {
      out.add(new Out(settings.scoredTopic(), s.post().id(), EventJson.toBytes(s)));
      if (AsyncEscalation.awaitsVerdict(s)) {
        long event = s.post().ingestedAt().toEpochMilli();
        awaited.put(s.post().id(), event);
        newestEventMillis = Math.max(newestEventMillis, event);
      } else {
        count(s);
      }
    }
    List<Aggregate> aggregates = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    close(now, aggregates, alerts, out);
    return new Output(scored, dead, aggregates, alerts, out, verdicts);
  }

  /** Whether verdicts are awaited or not yet returned: the loop should call {@link #process} even without records. */
  public boolean awaitingVerdicts() {
    return escalation != null && escalation.busy();
  }

  /** Stops the escalation workers; verdicts still in flight are dropped (their light score was published). */
  @Override
  public void close() {
    if (escalation != null) escalation.close();
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
    long mark = newestEventMillis - latenessMillis;
    for (long event : awaited.values()) mark = Math.min(mark, event); // their windows wait for their verdicts
    watermarkMillis = Math.max(watermarkMillis, mark);
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
