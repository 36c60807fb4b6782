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
 * (HTTP error, malformed payload, broker unreachable) is logged and counted and leaves the saved cursor where it
 * was, so the next poll asks for the same posts again: nothing is lost, and nothing acknowledged is sent twice.
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
  private volatile boolean stopping;

  public IngestLoop(String feed, FeedSource source, PostFilter filter, PostSink sink, CheckpointStore checkpoints,
      IngestMetrics metrics, Duration pollInterval, Sleeper sleeper, java.time.Clock clock) {
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
    for (int polls = 0; !stopping && (maxPolls == 0 || polls < maxPolls); polls++) {
      Optional<ObjectNode> next = pollOnce(cursor);
      if (next.isPresent()) {
        cursor = next.get();
        if (lastExhausted) {
          LOG.info("feed {}: source exhausted", feed);
          return;
        }
      }
      if (!stopping && (maxPolls == 0 || polls + 1 < maxPolls)) {
        sleeper.sleep(pollInterval);
      }
    }
  }

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
      return Optional.empty();
    } catch (IOException e) {
      metrics.failed("fetch");
      LOG.warn("feed {}: poll failed: {} (cursor kept; retrying next poll)", feed, e.getMessage());
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
    try {
      // A batch with no posts is not sent: its cursor is stored locally only. After a recreation the source is
      // then asked from the last cursor stored with posts, and what it returns again was filtered out before and
      // is filtered out again, or is new: no marker records, nothing for consumers to skip.
      if (!kept.isEmpty()) {
        sink.send(kept, batch.nextCursor());
      }
      checkpoints.save(batch.nextCursor(), sink.lastSeq());
    } catch (InterruptedException | SinkFencedException e) {
      throw e;
    } catch (Exception e) {
      metrics.failed("produce");
      LOG.warn("feed {}: could not deliver {} posts: {} (cursor kept; retrying next poll)", feed, kept.size(),
          e.toString());
      return Optional.empty();
    }
    metrics.produced(kept.size());
    kept.stream().map(Post::createdAt).max(java.util.Comparator.naturalOrder())
        .ifPresent(newest -> metrics.lagMillis(clock.millis() - newest.toEpochMilli()));
    if (!batch.posts().isEmpty()) {
      LOG.info("feed {}: fetched {}, produced {}, filtered {}", feed, batch.posts().size(), kept.size(),
          byKeyword + byLanguage);
    }
    lastExhausted = batch.exhausted();
    return Optional.of(batch.nextCursor());
  }

  public void stop() {
    stopping = true;
  }

  private static String summary(ObjectNode cursor) {
    String s = cursor.toString();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
