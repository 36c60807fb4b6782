package dev.pulse.dashboard.local;

import dev.pulse.event.Aggregate;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.TermCount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Tumbling windows over scored posts by ingestion time (the replay's creation times are history, so the local run
 * windows on arrival to keep the charts live). A closed window yields the rows the Spark job writes: the roll-up
 * (source "*", geo "*"), one per source and one per country.
 */
final class WindowAggregator {
  private static final Pattern WORDS = Pattern.compile("[^\\p{L}']+");
  private static final Set<String> STOP = Set.of("the", "and", "for", "with", "this", "that", "was", "are", "has",
      "have", "not", "you", "all", "its", "it's", "from", "again", "just", "anyone", "else", "honestly", "gonna",
      "lie", "wow", "ugh", "psa", "review", "experience", "here", "nobody", "every", "our", "out", "into", "over",
      "after", "they", "their", "what", "when", "than", "more", "so", "my", "new", "northwind", "northwindair",
      "tailspin", "tailspinmobile", "lumen", "lumencoffee", "air", "mobile", "coffee", "i", "is", "a", "an", "of",
      "to", "in", "on", "at", "me", "no", "be", "it");

  private final String pipeline;
  private final Duration size;
  private final TreeMap<Instant, List<ScoredPost>> open = new TreeMap<>();

  WindowAggregator(String pipeline, Duration size) {
    this.pipeline = pipeline;
    this.size = size;
  }

  synchronized void add(ScoredPost p) {
    long ms = size.toMillis();
    Instant start = Instant.ofEpochMilli(Math.floorDiv(p.post().ingestedAt().toEpochMilli(), ms) * ms);
    open.computeIfAbsent(start, k -> new ArrayList<>()).add(p);
  }

  /** Windows that ended before {@code now - grace}, each with its posts, removed from the open set. */
  synchronized List<ClosedWindow> close(Instant now, Duration grace) {
    List<ClosedWindow> closed = new ArrayList<>();
    while (!open.isEmpty() && open.firstKey().plus(size).plus(grace).isBefore(now)) {
      var e = open.pollFirstEntry();
      closed.add(new ClosedWindow(e.getKey(), e.getKey().plus(size), e.getValue(), rows(e.getKey(), e.getValue())));
    }
    return closed;
  }

  private List<Aggregate> rows(Instant start, List<ScoredPost> posts) {
    Map<String, List<ScoredPost>> bySource = new TreeMap<>();
    Map<String, List<ScoredPost>> byCountry = new TreeMap<>();
    for (ScoredPost p : posts) {
      bySource.computeIfAbsent(p.post().source().name(), k -> new ArrayList<>()).add(p);
      if (p.post().geo() != null && p.post().geo().country() != null) {
        byCountry.computeIfAbsent(p.post().geo().country(), k -> new ArrayList<>()).add(p);
      }
    }
    List<Aggregate> out = new ArrayList<>();
    out.add(row(start, "*", "*", posts));
    bySource.forEach((source, list) -> out.add(row(start, source, "*", list)));
    byCountry.forEach((country, list) -> out.add(row(start, "*", country, list)));
    return out;
  }

  private Aggregate row(Instant start, String source, String geo, List<ScoredPost> posts) {
    long neg = 0;
    long neu = 0;
    long pos = 0;
    double sum = 0;
    Map<String, Long> terms = new HashMap<>();
    for (ScoredPost p : posts) {
      switch (p.label()) {
        case NEGATIVE -> neg++;
        case NEUTRAL -> neu++;
        case POSITIVE -> pos++;
      }
      sum += p.score();
      for (String w : WORDS.split(p.post().text().toLowerCase(Locale.ROOT))) {
        if (w.length() > 3 && !STOP.contains(w)) {
          terms.merge(w, 1L, Long::sum);
        }
      }
    }
    List<TermCount> top = terms.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(25).map(e -> new TermCount(e.getKey(), e.getValue())).toList();
    double mean = posts.isEmpty() ? 0 : Math.max(-1, Math.min(1, sum / posts.size()));
    return Aggregate.of(pipeline, start, start.plus(size), source, geo, neg, neu, pos, mean, top);
  }

  record ClosedWindow(Instant start, Instant end, List<ScoredPost> posts, List<Aggregate> rows) {}
}
