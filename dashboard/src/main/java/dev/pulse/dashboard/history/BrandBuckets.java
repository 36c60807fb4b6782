package dev.pulse.dashboard.history;

import dev.pulse.event.Label;
import dev.pulse.event.ScoredPost;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Per-brand sentiment counts in fixed time buckets (on ingestion time, as the pipeline's windows), kept for the whole
 * look-back while raw posts are held only for the most recent few thousand: the brand views and share of voice are
 * answered from here. The pipeline's aggregates carry no brand, so the dashboard counts the scored posts itself; each
 * post is counted once (the caller passes only posts new to the history).
 */
public final class BrandBuckets {
  private final long bucketMillis;
  private final long lookbackMillis;
  private final NavigableMap<Long, Map<Key, Counts>> buckets = new TreeMap<>();

  /** What a bucket is split by: the filters the brand views apply. Country is "" when a post has none. */
  public record Key(String brand, String source, String country) {}

  /** Label counts and the sum of scores (for the mean). */
  public static final class Counts {
    public long negative;
    public long neutral;
    public long positive;
    public double scoreSum;

    public long count() {
      return negative + neutral + positive;
    }

    public void add(Counts o) {
      negative += o.negative;
      neutral += o.neutral;
      positive += o.positive;
      scoreSum += o.scoreSum;
    }
  }

  public BrandBuckets(Duration bucket, Duration lookback) {
    this.bucketMillis = Math.max(1_000, bucket.toMillis());
    this.lookbackMillis = lookback.toMillis();
  }

  public Duration bucket() {
    return Duration.ofMillis(bucketMillis);
  }

  public long bucketStart(Instant t) {
    return Math.floorDiv(t.toEpochMilli(), bucketMillis) * bucketMillis;
  }

  public synchronized void add(ScoredPost p, List<String> brands, Instant now) {
    count(p, brands, now, 1);
  }

  /**
   * Moves a post's count from its earlier score to its new one: the LLM's verdict published as an update of a post
   * counted with its light score. The post is still counted once.
   */
  public synchronized void replace(ScoredPost earlier, ScoredPost p, List<String> brands, Instant now) {
    count(earlier, brands, now, -1);
    count(p, brands, now, 1);
  }

  private void count(ScoredPost p, List<String> brands, Instant now, int sign) {
    if (brands.isEmpty()) {
      return;
    }
    long start = bucketStart(p.post().ingestedAt());
    long cutoff = now.toEpochMilli() - lookbackMillis;
    if (start + bucketMillis < cutoff) {
      return;
    }
    String country = p.post().geo() != null && p.post().geo().country() != null ? p.post().geo().country() : "";
    Map<Key, Counts> bucket = buckets.computeIfAbsent(start, k -> new HashMap<>());
    for (String brand : brands) {
      Counts c = bucket.computeIfAbsent(new Key(brand, p.post().source().name(), country), k -> new Counts());
      if (p.label() == Label.NEGATIVE) {
        c.negative += sign;
      } else if (p.label() == Label.POSITIVE) {
        c.positive += sign;
      } else {
        c.neutral += sign;
      }
      c.scoreSum += sign * p.score();
    }
    buckets.headMap(bucketStart(Instant.ofEpochMilli(cutoff)) - bucketMillis).clear();
  }

  /** Visits every (bucket start, key, counts) with a bucket overlapping [from, to), oldest first. */
  public synchronized void forEach(Instant from, Instant to, BiConsumer<Long, Map<Key, Counts>> visitor) {
    long lo = bucketStart(from);
    for (var e : buckets.subMap(lo, true, to.toEpochMilli(), false).entrySet()) {
      if (e.getKey() + bucketMillis > from.toEpochMilli()) {
        visitor.accept(e.getKey(), e.getValue());
      }
    }
  }

  /** The start of the oldest bucket held, or null. */
  public synchronized Instant oldest() {
    return buckets.isEmpty() ? null : Instant.ofEpochMilli(buckets.firstKey());
  }

  public synchronized int size() {
    return buckets.size();
  }
}
