package dev.pulse.dashboard.api;

import dev.pulse.dashboard.api.Views.AlertView;
import dev.pulse.dashboard.api.Views.GeoCell;
import dev.pulse.dashboard.api.Views.Page;
import dev.pulse.dashboard.api.Views.PostView;
import dev.pulse.dashboard.api.Views.SeriesPoint;
import dev.pulse.dashboard.api.Views.SimilarPost;
import dev.pulse.dashboard.api.Views.SourceVolume;
import dev.pulse.dashboard.api.Views.TermWeight;
import dev.pulse.dashboard.history.RecentHistory;
import dev.pulse.dashboard.vector.VectorStore;
import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.Label;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.event.TermCount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Answers the dashboard's questions from the recent history. Aggregates come from the pipeline: a row per window for
 * the roll-up (source "*", geo "*"), per source and per geo cell; a filter picks the matching row. The map is drawn
 * from the posts themselves (their coordinates), since a geo cell name carries no position.
 */
public final class DashboardQueries {
  private static final String ALL = "*";
  private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}#@']+");

  private final RecentHistory history;
  private final VectorStore vectors;
  private final Clock clock;

  public DashboardQueries(RecentHistory history, VectorStore vectors, Clock clock) {
    this.history = history;
    this.vectors = vectors;
    this.clock = clock;
  }

  public void requirePipeline(String pipeline) {
    if (!history.knows(pipeline)) {
      throw new NotFoundException("unknown pipeline '" + pipeline + "': this dashboard serves "
          + String.join(", ", history.pipelines()));
    }
  }

  public List<SeriesPoint> series(String pipeline, Duration window, Source source, String geo) {
    Instant since = clock.instant().minus(window);
    String s = source == null ? ALL : source.name();
    String g = geo == null ? ALL : geo;
    TreeMap<Instant, SeriesPoint> byWindow = new TreeMap<>();
    for (Aggregate a : aggregates(pipeline, since)) {
      if (a.source().equals(s) && a.geoCell().equals(g)) {
        byWindow.put(a.windowStart(), new SeriesPoint(a.windowStart(), a.windowEnd(), a.count(), a.meanScore(),
            a.negative(), a.neutral(), a.positive()));
      }
    }
    return new ArrayList<>(byWindow.values());
  }

  public List<SourceVolume> volumeBySource(String pipeline, Duration window) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Double> scoreSums = new HashMap<>();
    for (Aggregate a : aggregates(pipeline, clock.instant().minus(window))) {
      if (!a.source().equals(ALL) && a.geoCell().equals(ALL)) {
        long[] c = counts.computeIfAbsent(a.source(), k -> new long[4]);
        c[0] += a.count();
        c[1] += a.negative();
        c[2] += a.neutral();
        c[3] += a.positive();
        scoreSums.merge(a.source(), a.meanScore() * a.count(), Double::sum);
      }
    }
    List<SourceVolume> out = new ArrayList<>();
    counts.forEach((src, c) -> out.add(new SourceVolume(src, c[0], c[0] == 0 ? 0 : scoreSums.get(src) / c[0], c[1],
        c[2], c[3])));
    return out;
  }

  public List<GeoCell> geo(String pipeline, Duration window, Source source) {
    Instant since = clock.instant().minus(window);
    Map<String, double[]> cells = new LinkedHashMap<>();
    Map<String, String> places = new HashMap<>();
    for (ScoredPost p : history.posts()) {
      if (p.post().ingestedAt().isBefore(since)) {
        break;
      }
      var geo = p.post().geo();
      if (geo == null || geo.lat() == null || (source != null && p.post().source() != source)) {
        continue;
      }
      double lat = Math.floor(geo.lat() / 2) * 2 + 1;
      double lon = Math.floor(geo.lon() / 2) * 2 + 1;
      String key = lat + "," + lon;
      double[] c = cells.computeIfAbsent(key, k -> new double[] {lat, lon, 0, 0});
      c[2] += 1;
      c[3] += p.score();
      if (geo.place() != null || geo.country() != null) {
        places.putIfAbsent(key, geo.place() != null ? geo.place() : geo.country());
      }
    }
    List<GeoCell> out = new ArrayList<>();
    cells.forEach((k, c) -> out.add(new GeoCell(c[0], c[1], (long) c[2], c[3] / c[2], places.get(k))));
    return out;
  }

  public List<TermWeight> topTerms(String pipeline, Duration window, Source source, String geo, int limit) {
    String s = source == null ? ALL : source.name();
    String g = geo == null ? ALL : geo;
    Map<String, Long> counts = new HashMap<>();
    for (Aggregate a : aggregates(pipeline, clock.instant().minus(window))) {
      if (a.source().equals(s) && a.geoCell().equals(g)) {
        for (TermCount t : a.topTerms()) {
          counts.merge(t.term(), t.count(), Long::sum);
        }
      }
    }
    List<Map.Entry<String, Long>> top = counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(limit).toList();
    Map<String, double[]> polarity = polarityOf(top.stream().map(Map.Entry::getKey).toList());
    return top.stream().map(e -> {
      double[] p = polarity.get(e.getKey());
      return new TermWeight(e.getKey(), e.getValue(), p == null || p[1] == 0 ? 0 : p[0] / p[1]);
    }).toList();
  }

  /** Mean score of the recent posts (up to 2,000) that contain each term. */
  private Map<String, double[]> polarityOf(List<String> terms) {
    Map<String, double[]> out = new HashMap<>();
    int seen = 0;
    for (ScoredPost p : history.posts()) {
      if (seen++ >= 2_000) {
        break;
      }
      List<String> words = List.of(WORDS.split(p.post().text().toLowerCase(Locale.ROOT)));
      for (String t : terms) {
        if (words.contains(t)) {
          double[] acc = out.computeIfAbsent(t, k -> new double[2]);
          acc[0] += p.score();
          acc[1] += 1;
        }
      }
    }
    return out;
  }

  public Page<PostView> posts(String pipeline, int page, int size, Label sentiment, Source source, String geo) {
    List<PostView> matching = new ArrayList<>();
    for (ScoredPost p : history.posts()) {
      if ((sentiment == null || p.label() == sentiment) && (source == null || p.post().source() == source)
          && (geo == null || (p.post().geo() != null && geo.equalsIgnoreCase(p.post().geo().country())))) {
        matching.add(PostView.of(p));
      }
    }
    int from = (int) Math.min((long) page * size, matching.size());
    int to = Math.min(from + size, matching.size());
    return new Page<>(page, size, matching.size(), matching.subList(from, to));
  }

  public List<AlertView> alerts(String pipeline, int limit) {
    return history.alerts().stream().filter(a -> a.pipeline().equals(pipeline)).limit(limit).map(this::view).toList();
  }

  public AlertView view(Alert a) {
    List<PostView> evidence = a.evidencePostIds().stream().map(history::post).flatMap(Optional::stream)
        .map(PostView::of).toList();
    return AlertView.of(a, evidence);
  }

  public List<SimilarPost> similar(String pipeline, String postId, int k) {
    if (history.post(postId).isEmpty()) {
      throw new NotFoundException("no recent post with id '" + postId + "'");
    }
    Optional<List<dev.pulse.dashboard.vector.VectorStore.Match>> found;
    try {
      found = vectors.similarTo(postId, k + 1);
    } catch (IllegalStateException e) {
      throw new UnavailableException("the vector store is not answering: " + e.getMessage());
    }
    var matches = found.orElseThrow(() -> new NotFoundException(
        "post '" + postId + "' is not in the vector store yet (embedding runs a moment behind)"))
        .stream().filter(m -> !m.id().equals(postId)).limit(k).toList();
    return matches.stream()
        .map(m -> history.post(m.id()).map(p -> new SimilarPost(m.similarity(), PostView.of(p))).orElse(null))
        .filter(Objects::nonNull).toList();
  }

  private List<Aggregate> aggregates(String pipeline, Instant since) {
    return history.aggregates().stream()
        .filter(a -> a.pipeline().equals(pipeline) && !a.windowEnd().isBefore(since))
        .sorted(Comparator.comparing(Aggregate::windowStart)).toList();
  }
}
