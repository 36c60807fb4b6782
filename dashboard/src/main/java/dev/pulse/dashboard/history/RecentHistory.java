package dev.pulse.dashboard.history;

import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bounded recent past the dashboard answers from: scored posts, aggregates and alerts, each capped (oldest
 * evicted first) and keyed so a record seen twice (a replay, or Spark re-emitting an updated window) replaces the
 * earlier one instead of being counted again.
 */
public final class RecentHistory {
  private final Bounded<String, ScoredPost> posts;
  private final Bounded<String, Aggregate> aggregates;
  private final Bounded<String, Alert> alerts;
  private final Set<String> pipelines = ConcurrentHashMap.newKeySet();

  public RecentHistory(String pipeline, int maxPosts, int maxAggregates, int maxAlerts) {
    this.posts = new Bounded<>(maxPosts);
    this.aggregates = new Bounded<>(maxAggregates);
    this.alerts = new Bounded<>(maxAlerts);
    pipelines.add(pipeline);
  }

  /** Holds the post; true when it was not held already (a record seen twice is not counted twice). */
  public boolean add(ScoredPost post) {
    return put(post).earlier() == null;
  }

  /** What {@link #put} did: the post held before (null: none), and whether the new one replaced it. */
  public record Put(ScoredPost earlier, boolean taken) {}

  /**
   * Holds the post, replacing the one held under its id, except that a light score never replaces an LLM verdict
   * (tier LLM or FALLBACK) of the same post: a replayed light record that comes after its update. A verdict takes its
   * light score's place among the newest posts (the post is not newer for it).
   */
  public Put put(ScoredPost post) {
    Map.Entry<ScoredPost, Boolean> done = posts.putUnless(post.post().id(), post,
        held -> post.tier() == ScoredBy.LIGHT && held.tier() != ScoredBy.LIGHT,
        held -> held.tier() == ScoredBy.LIGHT && post.tier() != ScoredBy.LIGHT);
    return new Put(done.getKey(), done.getValue());
  }

  public void add(Aggregate a) {
    pipelines.add(a.pipeline());
    aggregates.put(a.pipeline() + "|" + a.windowStart() + "|" + a.windowEnd() + "|" + a.source() + "|" + a.geoCell(), a);
  }

  public void add(Alert a) {
    pipelines.add(a.pipeline());
    alerts.put(a.pipeline() + "|" + a.kind() + "|" + a.windowStart() + "|" + a.windowEnd(), a);
  }

  public boolean knows(String pipeline) {
    return pipelines.contains(pipeline);
  }

  public Set<String> pipelines() {
    return Collections.unmodifiableSet(pipelines);
  }

  /** Newest first. */
  public List<ScoredPost> posts() {
    return posts.newestFirst();
  }

  public Optional<ScoredPost> post(String id) {
    return Optional.ofNullable(posts.get(id));
  }

  /** Oldest first. */
  public List<Aggregate> aggregates() {
    return aggregates.oldestFirst();
  }

  /** Newest first. */
  public List<Alert> alerts() {
    return alerts.newestFirst();
  }

  public int postCount() {
    return posts.size();
  }

  /** When the oldest post held was ingested, or null: the drill-down to posts reaches back this far. */
  public Instant oldestPost() {
    ScoredPost p = posts.oldest();
    return p == null ? null : p.post().ingestedAt();
  }

  /** The start of the oldest window held for this pipeline, or null. */
  public Instant oldestAggregate(String pipeline) {
    return aggregates.oldestFirst().stream().filter(a -> a.pipeline().equals(pipeline)).map(Aggregate::windowStart)
        .min(Instant::compareTo).orElse(null);
  }

  /** Drops aggregates and alerts whose window ended before the look-back. */
  public void forgetBefore(Instant cutoff) {
    aggregates.removeIf(a -> a.windowEnd().isBefore(cutoff));
    alerts.removeIf(a -> a.windowEnd().isBefore(cutoff));
  }

  /** Insertion-ordered map with a cap; re-putting a key moves it to the newest end. */
  private static final class Bounded<K, V> {
    private final LinkedHashMap<K, V> map;

    Bounded(int max) {
      this.map = new LinkedHashMap<>(Math.min(max, 1024) * 2, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
          return size() > max;
        }
      };
    }

    synchronized boolean put(K key, V value) {
      boolean fresh = map.remove(key) == null;
      map.put(key, value);
      return fresh;
    }

    /**
     * Puts unless {@code keep} says the held value stays; returns the held value (or null) and whether it put. When
     * {@code inPlace} says so of the held value (an update, e.g. a verdict over a light score), the new one takes its
     * place instead of moving to the newest end.
     */
    synchronized Map.Entry<V, Boolean> putUnless(K key, V value, java.util.function.Predicate<V> keep,
        java.util.function.Predicate<V> inPlace) {
      V held = map.get(key);
      if (held != null && keep.test(held)) {
        return new java.util.AbstractMap.SimpleImmutableEntry<>(held, false);
      }
      if (held == null || !inPlace.test(held)) map.remove(key); // a new or repeated record moves to the newest end
      map.put(key, value);
      return new java.util.AbstractMap.SimpleImmutableEntry<>(held, true);
    }

    synchronized V oldest() {
      return map.isEmpty() ? null : map.values().iterator().next();
    }

    synchronized void removeIf(java.util.function.Predicate<V> drop) {
      map.values().removeIf(drop);
    }

    synchronized V get(K key) {
      return map.get(key);
    }

    synchronized int size() {
      return map.size();
    }

    synchronized List<V> oldestFirst() {
      return new ArrayList<>(map.values());
    }

    List<V> newestFirst() {
      List<V> list = oldestFirst();
      Collections.reverse(list);
      return list;
    }
  }
}
