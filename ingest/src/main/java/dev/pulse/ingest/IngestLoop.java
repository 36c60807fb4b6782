package dev.pulse.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Post;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * poll → filter → produce the batch with its cursor (one Kafka transaction) → (only once committed) save the cursor
 * to the checkpoint file too → wait for the next poll. The file is the fast path; when it is missing (a recreated
 * pod's fresh emptyDir) the cursor comes back from the topic ({@link PostSink#recoverCursor}). A failed poll
 * (HTTP error, malformed payload, broker unreachable, any unexpected error of the source) is logged and counted and
 * leaves the saved cursor where it was, so the next poll asks for the same posts again: nothing is lost, and nothing
 * acknowledged is sent twice. Failed polls are retried after a growing delay ({@link Backoff}: at least the poll
 * interval and the backoff's initial delay, doubling up to its max), so a source that always fails (a missing replay
 * file, a revoked token) costs a few attempts a minute, not a core. Items the source could not turn into posts, and
 * posts too large to send, are skipped, counted and dead-lettered with their reason ({@link Rejected}); they never
 * fail the poll. Each successful poll marks the ingester ready ({@link PollHealth}).
 */
public final class IngestLoop {
  private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);

  private final String feed;
  private final FeedSource source;
  private final PostFilter filter;
  private final PostSink sink;
  private final CheckpointStore checkpoints;
  private final IngestMetrics metrics;
  private final Duration pollInterval;
  private final Sleeper sleeper;
  private final java.time.Clock clock;
  private final Backoff retry;
  private final PollHealth health;
  private final java.util.random.RandomGenerator random = new java.util.Random();
  private volatile boolean stopping;

  public IngestLoop(String feed, FeedSource source, PostFilter filter, PostSink sink, CheckpointStore checkpoints,
      IngestMetrics metrics, Duration pollInterval, Sleeper sleeper, java.time.Clock clock) {
    this(feed, source, filter, sink, checkpoints, metrics, pollInterval, sleeper, clock,
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 1, Duration.ofMinutes(15)),
        new PollHealth(clock, Duration.ofMinutes(2)));
  }

  /**
   * @param retry delays between failed polls (its maxAttempts is not used: polls are retried for ever)
   * @param health told of every poll's outcome
   */
  public IngestLoop(String feed, FeedSource source, PostFilter filter, PostSink sink, CheckpointStore checkpoints,
      IngestMetrics metrics, Duration pollInterval, Sleeper sleeper, java.time.Clock clock, Backoff retry,
      PollHealth health) {
    this.retry = retry;
    this.health = health;
    this.feed = feed;
    this.source = source;
    this.filter = filter;
    this.sink = sink;
    this.checkpoints = checkpoints;
    this.metrics = metrics;
    this.pollInterval = pollInterval;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** Runs until {@link #stop()}, the source is exhausted, or maxPolls polls (0 = no limit) have run. */
  public void run(int maxPolls) throws IOException, InterruptedException {
    ObjectNode cursor = startingCursor();
    if (cursor == null) {
      return; // stopped while the broker was unreachable
    }
    int failures = 0;
    for (int polls = 0; !stopping && (maxPolls == 0 || polls < maxPolls); polls++) {
      Optional<ObjectNode> next = pollOnce(cursor);
      if (next.isPresent()) {
        failures = 0;
        health.succeeded();
        cursor = next.get();
        if (lastExhausted) {
          health.finished();
          LOG.info("feed {}: source exhausted", feed);
          return;
        }
      } else {
        failures++;
      }
      if (!stopping && (maxPolls == 0 || polls + 1 < maxPolls)) {
        sleeper.sleep(failures == 0 ? pollInterval : retryDelay(failures));
      }
    }
  }

  /** Never less than 10 ms, the poll interval, or the backoff's delay for this many failures in a row. */
  Duration retryDelay(int failures) {
    Duration backoff = retry.delay(failures - 1, null, random);
    Duration wait = backoff.compareTo(pollInterval) > 0 ? backoff : pollInterval;
    return wait.compareTo(MIN_RETRY) > 0 ? wait : MIN_RETRY;
  }

  static final Duration MIN_RETRY = Duration.ofMillis(10);

  private boolean lastExhausted;

  /**
   * The checkpoint file's cursor, unless the topic holds a newer one (a higher batch sequence number than the one
   * saved beside the file) or the file is missing or empty (a recreated pod's fresh emptyDir). A stale file is
   * possible only where two pods overlapped (one fenced the other); the file is otherwise as new as the topic, or
   * newer (a poll that kept no posts advances only the file). The sink is asked in every case: it aborts a
   * predecessor's open transaction and learns the sequence number. While the broker is unreachable this retries
   * (nothing could be sent anyway); null when stopped meanwhile.
   */
  private ObjectNode startingCursor() throws IOException, InterruptedException {
    ObjectNode local = checkpoints.load();
    long localSeq = checkpoints.loadSeq();
    while (!stopping) {
      Optional<PostSink.StoredCursor> stored;
      try {
        stored = sink.recoverCursor();
      } catch (InterruptedException | SinkFencedException e) {
        throw e;
      } catch (Exception e) {
        metrics.failed("produce");
        LOG.warn("feed {}: could not read the cursor stored on the topic: {} (retrying)", feed, e.toString());
        sleeper.sleep(RECOVERY_RETRY);
        continue;
      }
      if (!local.isEmpty() && (stored.isEmpty() || stored.get().seq() <= localSeq)) {
        LOG.info("feed {}: starting from checkpoint file {}", feed, summary(local));
        return local;
      }
      if (stored.isEmpty()) {
        LOG.info("feed {}: no checkpoint file and no cursor stored on the topic: starting from the beginning",
            feed);
        return local;
      }
      LOG.info("feed {}: starting from the cursor stored on the topic (batch {}{}) {}", feed, stored.get().seq(),
          local.isEmpty() ? ", no checkpoint file" : ", newer than the checkpoint file's " + localSeq,
          summary(stored.get().cursor()));
      return stored.get().cursor();
    }
    return null;
  }

  private static final Duration RECOVERY_RETRY = Duration.ofSeconds(5);

  /** One poll; the new cursor when the batch went through, empty when it failed (the old cursor stands). */
  Optional<ObjectNode> pollOnce(ObjectNode cursor) throws InterruptedException {
    lastExhausted = false;
    Batch batch;
    try {
      batch = source.poll(cursor);
    } catch (MalformedPayloadException e) {
      metrics.failed("malformed");
      LOG.warn("feed {}: {} (cursor kept; retrying next poll)", feed, e.getMessage());
      health.failed(e.getMessage());
      return Optional.empty();
    } catch (IOException e) {
      metrics.failed("fetch");
      LOG.warn("feed {}: poll failed: {} (cursor kept; retrying next poll)", feed, e.getMessage());
      health.failed("poll failed: " + e.getMessage());
      return Optional.empty();
    } catch (RuntimeException e) {
      // A defect or an input no check foresaw: one poll fails, the process and the saved cursor stay.
      metrics.failed("source_error");
      LOG.warn("feed {}: poll failed unexpectedly: {} (cursor kept; retrying next poll)", feed, e.toString(), e);
      health.failed("poll failed unexpectedly: " + e);
      return Optional.empty();
    }
    List<Post> kept = new ArrayList<>(batch.posts().size());
    int byKeyword = 0;
    int byLanguage = 0;
    for (Post post : batch.posts()) {
      Optional<String> why = filter.rejection(post);
      if (why.isEmpty()) {
        kept.add(post);
      } else if (why.get().equals("keyword")) {
        byKeyword++;
      } else {
        byLanguage++;
      }
    }
    metrics.filtered("keyword", byKeyword);
    metrics.filtered("language", byLanguage);
    PostSink.Delivery delivery;
    try {
      // A batch with no posts is not sent: its cursor is stored locally only. After a recreation the source is
      // then asked from the last cursor stored with posts, and what it returns again was filtered out before and
      // is filtered out again, or is new: no marker records, nothing for consumers to skip.
      delivery = kept.isEmpty() && batch.rejected().isEmpty()
          ? new PostSink.Delivery(0, List.of(), false)
          : sink.send(kept, batch.rejected(), batch.nextCursor());
      checkpoints.save(batch.nextCursor(), sink.lastSeq());
    } catch (InterruptedException | SinkFencedException e) {
      throw e;
    } catch (Exception e) {
      metrics.failed("produce");
      LOG.warn("feed {}: could not deliver {} posts: {} (cursor kept; retrying next poll)", feed, kept.size(),
          e.toString());
      health.failed("could not deliver to Kafka: " + e);
      return Optional.empty();
    }
    account(delivery);
    metrics.produced(delivery.posts());
    kept.stream().map(Post::createdAt).max(java.util.Comparator.naturalOrder())
        .ifPresent(newest -> metrics.lagMillis(clock.millis() - newest.toEpochMilli()));
    if (!batch.posts().isEmpty() || !delivery.rejected().isEmpty()) {
      LOG.info("feed {}: fetched {}, produced {}, filtered {}, rejected {}", feed, batch.posts().size(),
          delivery.posts(), byKeyword + byLanguage, delivery.rejected().size());
    }
    lastExhausted = batch.exhausted();
    return Optional.of(batch.nextCursor());
  }

  /** Every item not sent as a post is counted by its reason and logged (what it was and why, not its content). */
  private void account(PostSink.Delivery delivery) {
    for (Rejected item : delivery.rejected()) {
      metrics.failed(item.kind());
      if (delivery.deadLettered()) {
        metrics.deadLettered(item.kind());
      }
      LOG.warn("feed {}: {} skipped{}: {}", feed, item.what(),
          delivery.deadLettered() ? " and dead-lettered" : " (no dead-letter topic configured)", item.reason());
    }
  }

  public void stop() {
    stopping = true;
  }

  private static String summary(ObjectNode cursor) {
    String s = cursor.toString();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
