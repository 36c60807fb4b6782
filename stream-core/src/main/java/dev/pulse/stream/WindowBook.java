package dev.pulse.stream;

import dev.pulse.event.Alert;
import dev.pulse.event.Geo;
import dev.pulse.event.ScoredPost;
import dev.pulse.stream.metrics.StreamMetrics;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The streaming state of one aggregation key (source × geo cell, "*" for all): the open tumbling windows, and for
 * the roll-up key the per-window count and score sum of the trailing windows the alert rule compares with. Windows
 * close when the event-time watermark passes their end; a post whose window has closed is counted as late and left
 * out (its scored post is still in the scored topic). Pure apart from its own fields; Spark keeps it in the state
 * store, so a restart resumes it from the checkpoint.
 */
public final class WindowBook implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String ALL = "*";

  /** What a closed window yields: its aggregate and, for the roll-up key, its alerts. */
  public record Closed(dev.pulse.event.Aggregate aggregate, List<Alert> alerts) {}

  private record Past(long count, double sumScore) implements Serializable {}

  private final TreeMap<Long, WindowStats> open = new TreeMap<>();
  private final TreeMap<Long, Past> history = new TreeMap<>();
  private long firstWindow = Long.MIN_VALUE;
  private long closedUpTo = Long.MIN_VALUE;
  private long late;

  /** The key of a post's aggregates: roll-up, per source, and per geo cell when it has one. */
  public static List<String> keysOf(dev.pulse.event.Post post) {
    List<String> keys = new ArrayList<>(3);
    keys.add(key(ALL, ALL));
    keys.add(key(post.source().name(), ALL));
    Geo geo = post.geo();
    String cell = GeoCells.of(geo);
    if (cell != null) keys.add(key(ALL, cell));
    return keys;
  }

  public static String key(String source, String geoCell) {
    return source + "|" + geoCell;
  }

  public void add(ScoredPost p, long eventMillis, AlertRule rule) {
    long w = rule.window().toMillis();
    long start = Math.floorDiv(eventMillis, w) * w;
    if (start + w <= closedUpTo) {
      late++;
      return;
    }
    if (firstWindow == Long.MIN_VALUE || start < firstWindow) firstWindow = start;
    open.computeIfAbsent(start, s -> new WindowStats()).add(p, Terms.of(p.post().text()),
        Terms.mentionsAny(p.post().text(), rule.crisisKeywords()), rule.evidenceLimit());
  }

  /** Closes, in order, every open window whose end is at or before the watermark. */
  public List<Closed> close(long watermarkMillis, String key, AlertRule rule, Instant now) {
    String[] parts = key.split("\\|", 2);
    boolean rollUp = parts[0].equals(ALL) && parts[1].equals(ALL);
    long w = rule.window().toMillis();
    List<Closed> out = new ArrayList<>();
    for (Iterator<Map.Entry<Long, WindowStats>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, WindowStats> e = it.next();
      long start = e.getKey();
      if (start + w > watermarkMillis) break;
      it.remove();
      WindowStats stats = e.getValue();
      Instant s = Instant.ofEpochMilli(start);
      Instant end = Instant.ofEpochMilli(start + w);
      List<Alert> alerts = List.of();
      if (rollUp) {
        alerts = AlertRules.evaluate(rule, s, end, stats, trailing(start, w, rule), now);
        StreamMetrics.pipeline(rule.pipeline()).alerts(alerts);
        history.put(start, new Past(stats.count, stats.sumScore));
        while (history.size() > rule.trailingWindows()) history.pollFirstEntry();
      }
      closedUpTo = Math.max(closedUpTo, start + w);
      out.add(new Closed(stats.toAggregate(rule.pipeline(), s, end, parts[0], parts[1]), alerts));
    }
    return out;
  }

  /** The trailing windows since the first one seen (silent ones count as 0), at most {@code trailingWindows}. */
  AlertRules.Trailing trailing(long start, long w, AlertRule rule) {
    int windows = (int) Math.min(rule.trailingWindows(), Math.max(0, (start - firstWindow) / w));
    long count = 0;
    double sum = 0;
    for (Past p : history.subMap(start - windows * w, true, start, false).values()) {
      count += p.count();
      sum += p.sumScore();
    }
    return new AlertRules.Trailing(windows, count, sum);
  }

  /** The end of the earliest open window: when the watermark must wake this key up. */
  public long nextDeadline(AlertRule rule) {
    return open.isEmpty() ? -1 : open.firstKey() + rule.window().toMillis();
  }

  public long late() {
    return late;
  }
}
