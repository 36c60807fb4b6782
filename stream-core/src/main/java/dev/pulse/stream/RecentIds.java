package dev.pulse.stream;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dedup by post id for real-time mode, where Spark 4.1 runs no stateful operator: the post ids an executor JVM has
 * seen recently, per query, with where each was read (topic, partition, offset).
 *
 * <p>A record is a repeat when its id was seen at <em>another</em> offset within the horizon (an ingester re-sending
 * a batch, two feeds carrying the same post). The same record read again is not a repeat: real-time mode re-runs a
 * failed task from the batch's start offsets, and dropping those records would lose posts whose output never
 * reached the sink. The ingesters key records by post id, so a re-sent post lands on the same partition, whose
 * long-running task Spark keeps placing on the same executor. The ids live in memory only: after an executor or job
 * restart a repeat can pass once, which the aggregates query's own dedup (checkpointed) and the idempotent Qdrant
 * upsert absorb.
 */
public final class RecentIds {
  private static final Logger LOG = LoggerFactory.getLogger(RecentIds.class);
  /** Ids real-time mode's dedup keeps by default: ~30 MB, 10 minutes of 300 posts/s. */
  public static final int DEFAULT_MAX_IDS = 200_000;
  private static final Map<String, RecentIds> BY_QUERY = new ConcurrentHashMap<>();

  private record Seen(String topic, int partition, long offset, long timeMillis) {}

  private final long horizonMillis;
  private final int maxIds;
  private final String query;
  private final LinkedHashMap<String, Seen> ids = new LinkedHashMap<>();
  private final AtomicLong repeats = new AtomicLong();
  private long newestMillis = Long.MIN_VALUE;

  public RecentIds(Duration horizon, int maxIds) {
    this("unnamed", horizon, maxIds);
  }

  private RecentIds(String query, Duration horizon, int maxIds) {
    if (maxIds < 1) throw new IllegalArgumentException("maxIds must be at least 1: " + maxIds);
    this.query = query;
    this.horizonMillis = horizon.toMillis();
    this.maxIds = maxIds;
  }

  /** The one instance of a query in this JVM ({@code query}: its checkpoint location). */
  public static RecentIds of(String query, Duration horizon, int maxIds) {
    return BY_QUERY.computeIfAbsent(query, q -> new RecentIds(q, horizon, maxIds));
  }

  /**
   * Records the id and says whether it repeats a post seen at another offset within the horizon ({@code timeMillis}:
   * the Kafka record time). Ids leave when they fall behind the newest time by more than the horizon, or when more
   * than {@code maxIds} are held (oldest first).
   */
  public synchronized boolean isRepeat(String id, String topic, int partition, long offset, long timeMillis) {
    newestMillis = Math.max(newestMillis, timeMillis);
    long oldest = newestMillis - horizonMillis;
    Seen before = ids.get(id);
    if (before != null && before.timeMillis() >= oldest) {
      if (before.partition() == partition && before.offset() == offset && before.topic().equals(topic)) {
        return false;
      }
      long n = repeats.incrementAndGet();
      // A count that says the dedup works (and how much an ingester re-sends) without a line per post.
      if (Long.bitCount(n) == 1) {
        LOG.info("{}: dropped {} repeated post(s) so far (latest {} at {}/{}/{}, first read at {}/{}/{})", query, n,
            id, topic, partition, offset, before.topic(), before.partition(), before.offset());
      }
      return true;
    }
    ids.remove(id);
    evict(oldest);
    ids.put(id, new Seen(topic, partition, offset, timeMillis));
    return false;
  }

  /** Drops, oldest first, the ids behind the horizon and as many as it takes to make room for one more. */
  private void evict(long oldest) {
    for (Iterator<Seen> it = ids.values().iterator(); it.hasNext(); ) {
      Seen s = it.next();
      if (ids.size() < maxIds && s.timeMillis() >= oldest) break;
      it.remove();
    }
  }

  /** Repeats dropped so far. */
  public long repeats() {
    return repeats.get();
  }

  public synchronized int size() {
    return ids.size();
  }
}
