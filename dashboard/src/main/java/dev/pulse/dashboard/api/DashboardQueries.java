package dev.pulse.dashboard.api;

import dev.pulse.dashboard.api.Views.AlertView;
import dev.pulse.dashboard.api.Views.BrandShare;
import dev.pulse.dashboard.api.Views.Coverage;
import dev.pulse.dashboard.api.Views.GeoCell;
import dev.pulse.dashboard.api.Views.Page;
import dev.pulse.dashboard.api.Views.Period;
import dev.pulse.dashboard.api.Views.PostView;
import dev.pulse.dashboard.api.Views.SeriesPoint;
import dev.pulse.dashboard.api.Views.SharePoint;
import dev.pulse.dashboard.api.Views.ShareOfVoice;
import dev.pulse.dashboard.api.Views.SimilarPost;
import dev.pulse.dashboard.api.Views.SourceVolume;
import dev.pulse.dashboard.api.Views.TermWeight;
import dev.pulse.dashboard.brand.BrandCatalog;
import dev.pulse.dashboard.history.BrandBuckets;
import dev.pulse.dashboard.history.BrandBuckets.Counts;
import dev.pulse.dashboard.history.RecentHistory;
import dev.pulse.dashboard.vector.VectorStore;
import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Answers the dashboard's questions from what it holds. For the whole pipeline, series, volume and terms come from
 * the pipeline's aggregates (a row per window for the roll-up, source "*", geo "*", per source and per geo cell; a
 * filter picks the matching row). For one brand they come from the dashboard's own per-brand buckets (the aggregates
 * carry no brand) and, for terms and the map, from the posts held. The map is always drawn from the posts (their
 * coordinates), since a geo cell name carries no position.
 */
public final class DashboardQueries {
  private static final String ALL = "*";
  private static final List<String> WINDOW_CHOICES = List.of("5m", "15m", "30m", "1h", "6h", "12h", "24h", "2d", "7d");
  /** Words too common to be a brand's top terms (the pipeline's own terms come with its stop list applied). */
  private static final Set<String> STOP = Set.of("the", "a", "an", "and", "or", "but", "to", "of", "in", "on", "at",
      "for", "with", "is", "are", "was", "were", "be", "been", "it", "its", "it's", "this", "that", "my", "our", "your",
      "i", "we", "you", "they", "me", "us", "from", "by", "as", "so", "just", "again", "not", "no", "do", "does", "did",
      "has", "have", "had", "im", "i'm", "all", "any", "up", "out", "about", "what", "when", "how", "why", "who", "can",
      "will", "would", "than", "then", "there", "their", "them", "if", "into", "over", "more", "very", "too", "get", "got",
      "review", "wow", "rt", "via", "new", "one", "now", "today", "still", "really", "psa", "anyone", "else", "gonna",
      "lie", "ugh", "honestly", "experience", "like", "off", "after", "some", "every");

  private final RecentHistory history;
  private final BrandBuckets buckets;
  private final BrandCatalog brands;
  private final VectorStore vectors;
  private final Clock clock;

  public DashboardQueries(RecentHistory history, BrandBuckets buckets, BrandCatalog brands, VectorStore vectors,
      Clock clock) {
    this.history = history;
    this.buckets = buckets;
    this.brands = brands;
    this.vectors = vectors;
    this.clock = clock;
  }

  public BrandCatalog brands() {
    return brands;
  }

  public void requirePipeline(String pipeline) {
    if (!history.knows(pipeline)) {
      throw new NotFoundException("unknown pipeline '" + pipeline + "': this dashboard serves "
          + String.join(", ", history.pipelines()));
    }
  }

  public Coverage coverage(String pipeline, Duration lookback, Duration limit, int maxPosts, boolean gateway) {
    List<String> windows = WINDOW_CHOICES.stream()
        .filter(w -> Filters.window(w, limit, Duration.ofDays(365)).compareTo(limit) <= 0).toList();
    Instant now = clock.instant();
    Instant horizon = now.minus(lookback);
    return new Coverage(now, Filters.format(lookback), Filters.format(limit), windows,
        Filters.format(buckets.bucket()), later(history.oldestAggregate(pipeline), horizon),
        later(buckets.oldest(), horizon), history.oldestPost(), history.postCount(), maxPosts, brands.names(), gateway);
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? null : a.isAfter(b) ? a : b;
  }

  public List<SeriesPoint> series(String pipeline, Duration window, Source source, String geo, String brand) {
    Instant now = clock.instant();
    Instant since = now.minus(window);
    if (brand != null) {
      List<SeriesPoint> out = new ArrayList<>();
      long width = buckets.bucket().toMillis();
      buckets.forEach(since, now, (start, cells) -> {
        Counts sum = new Counts();
        cells.forEach((k, c) -> {
          if (k.brand().equals(brand) && matches(k, source, geo)) {
            sum.add(c);
          }
        });
        if (sum.count() > 0) {
          out.add(new SeriesPoint(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + width), sum.count(),
              sum.scoreSum / sum.count(), sum.negative, sum.neutral, sum.positive));
        }
      });
      return out;
    }
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

  private static boolean matches(BrandBuckets.Key k, Source source, String geo) {
    return (source == null || k.source().equals(source.name())) && (geo == null || k.country().equalsIgnoreCase(geo));
  }

  public List<SourceVolume> volumeBySource(String pipeline, Duration window, String brand) {
    Instant now = clock.instant();
    if (brand != null) {
      Map<String, Counts> bySource = new TreeMap<>();
      buckets.forEach(now.minus(window), now, (start, cells) -> cells.forEach((k, c) -> {
        if (k.brand().equals(brand)) {
          bySource.computeIfAbsent(k.source(), x -> new Counts()).add(c);
        }
      }));
      List<SourceVolume> out = new ArrayList<>();
      bySource.forEach((src, c) -> out.add(new SourceVolume(src, c.count(), c.scoreSum / c.count(), c.negative,
          c.neutral, c.positive)));
      return out;
    }
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Double> scoreSums = new HashMap<>();
    for (Aggregate a : aggregates(pipeline, now.minus(window))) {
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

  public List<GeoCell> geo(String pipeline, Duration window, Source source, String brand) {
    Instant since = clock.instant().minus(window);
    Map<String, double[]> cells = new LinkedHashMap<>();
    Map<String, String> places = new HashMap<>();
    PostFilter filter = new PostFilter(null, source, null, brand, since, null, null, null);
    for (ScoredPost p : history.posts()) {
      if (p.post().ingestedAt().isBefore(since)) {
        continue; // held in arrival order, not ingestion time: a late or replayed post may sit among newer ones
      }
      var geo = p.post().geo();
      if (geo == null || geo.lat() == null || geo.lon() == null || !filter.matches(p, brands)) {
        continue;
      }
      double lat = PostFilter.cellCentre(geo.lat());
      double lon = PostFilter.cellCentre(geo.lon());
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

  public List<TermWeight> topTerms(String pipeline, Duration window, Source source, String geo, String brand,
      int limit) {
    Instant since = clock.instant().minus(window);
    Map<String, Long> counts = new HashMap<>();
    if (brand != null) {
      // The aggregates' terms carry no brand: count the words of the brand's posts held in the window.
      Set<String> own = new java.util.HashSet<>();
      brands.named(brand).terms().forEach(t -> own.addAll(List.of(PostFilter.WORDS.split(t))));
      PostFilter filter = new PostFilter(null, source, geo, brand, since, null, null, null);
      for (ScoredPost p : history.posts()) {
        if (p.post().ingestedAt().isBefore(since)) {
          continue;
        }
        if (filter.matches(p, brands)) {
          for (String w : new java.util.HashSet<>(words(p))) {
            if (w.length() > 2 && !STOP.contains(w) && !own.contains(w) && !w.startsWith("@") && !w.startsWith("#")) {
              counts.merge(w, 1L, Long::sum);
            }
          }
        }
      }
    } else {
      String s = source == null ? ALL : source.name();
      String g = geo == null ? ALL : geo;
      for (Aggregate a : aggregates(pipeline, since)) {
        if (a.source().equals(s) && a.geoCell().equals(g)) {
          for (TermCount t : a.topTerms()) {
            counts.merge(t.term(), t.count(), Long::sum);
          }
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

  private static List<String> words(ScoredPost p) {
    return List.of(PostFilter.WORDS.split(p.post().text().toLowerCase(Locale.ROOT)));
  }

  /** Mean score of the recent posts (up to 2,000) that contain each term. */
  private Map<String, double[]> polarityOf(List<String> terms) {
    Map<String, double[]> out = new HashMap<>();
    int seen = 0;
    for (ScoredPost p : history.posts()) {
      if (seen++ >= 2_000) {
        break;
      }
      List<String> words = words(p);
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

  public Page<PostView> posts(String pipeline, int page, int size, PostFilter filter) {
    List<ScoredPost> matching = matching(filter);
    int from = (int) Math.min((long) page * size, matching.size());
    int to = Math.min(from + size, matching.size());
    return new Page<>(page, size, matching.size(),
        matching.subList(from, to).stream().map(this::view).toList());
  }

  /** Every held post the filter matches, newest first, handed over one page at a time (an export streams them). */
  public void eachPage(PostFilter filter, int pageSize, Consumer<List<PostView>> page) {
    List<ScoredPost> matching = matching(filter);
    for (int from = 0; from < matching.size(); from += pageSize) {
      page.accept(matching.subList(from, Math.min(from + pageSize, matching.size())).stream().map(this::view).toList());
    }
  }

  private List<ScoredPost> matching(PostFilter filter) {
    List<ScoredPost> matching = new ArrayList<>();
    for (ScoredPost p : history.posts()) {
      if (filter.matches(p, brands)) {
        matching.add(p);
      }
    }
    return matching;
  }

  public PostView view(ScoredPost p) {
    return PostView.of(p, brands.of(p.post().text()));
  }

  /**
   * Share of voice over the window: each brand's mentions per bucket and in total, its share of all brand mentions,
   * its net sentiment, and the same for the window before it when the dashboard holds that period.
   */
  public ShareOfVoice shareOfVoice(Duration window, Source source, String geo, Duration lookback) {
    Instant to = clock.instant();
    Instant from = to.minus(window);
    long width = buckets.bucket().toMillis();
    List<String> names = brands.names();
    List<SharePoint> points = new ArrayList<>();
    Map<String, Counts> now = new LinkedHashMap<>();
    names.forEach(n -> now.put(n, new Counts()));
    buckets.forEach(from, to, (start, cells) -> {
      Map<String, Long> counts = new LinkedHashMap<>();
      names.forEach(n -> counts.put(n, 0L));
      cells.forEach((k, c) -> {
        if (matches(k, source, geo) && now.containsKey(k.brand())) {
          counts.merge(k.brand(), c.count(), Long::sum);
          now.get(k.brand()).add(c);
        }
      });
      points.add(new SharePoint(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + width), counts));
    });
    Map<String, Counts> before = null;
    Instant prevFrom = from.minus(window);
    Instant oldest = buckets.oldest();
    // The previous window is compared only when it lies within the look-back and some of it is held.
    if (window.multipliedBy(2).compareTo(lookback) <= 0 && oldest != null && oldest.isBefore(from)) {
      Map<String, Counts> prev = new LinkedHashMap<>();
      names.forEach(n -> prev.put(n, new Counts()));
      buckets.forEach(prevFrom, from, (start, cells) -> cells.forEach((k, c) -> {
        if (matches(k, source, geo) && prev.containsKey(k.brand())) {
          prev.get(k.brand()).add(c);
        }
      }));
      before = prev;
    }
    long total = now.values().stream().mapToLong(Counts::count).sum();
    long prevTotal = before == null ? 0 : before.values().stream().mapToLong(Counts::count).sum();
    List<BrandShare> totals = new ArrayList<>();
    for (String n : names) {
      Counts c = now.get(n);
      double share = total == 0 ? 0 : (double) c.count() / total;
      double net = net(c);
      Period previous = null;
      if (before != null && prevTotal > 0) {
        Counts p = before.get(n);
        previous = new Period(prevFrom, from, p.count(), (double) p.count() / prevTotal, net(p));
      }
      totals.add(new BrandShare(n, c.count(), share, net, c.count() == 0 ? 0 : c.scoreSum / c.count(), c.negative,
          c.neutral, c.positive, previous, previous == null ? null : share - previous.share(),
          previous == null ? null : net - previous.net()));
    }
    return new ShareOfVoice(Filters.format(buckets.bucket()), from, to, names, points, totals);
  }

  private static double net(Counts c) {
    return c.count() == 0 ? 0 : (double) (c.positive - c.negative) / c.count();
  }

  public List<AlertView> alerts(String pipeline, int limit) {
    return history.alerts().stream().filter(a -> a.pipeline().equals(pipeline)).limit(limit).map(this::view).toList();
  }

  public Optional<Alert> alert(String pipeline, String id) {
    return history.alerts().stream().filter(a -> a.pipeline().equals(pipeline) && AlertView.id(a).equals(id))
        .findFirst();
  }

  public AlertView view(Alert a) {
    List<PostView> evidence = a.evidencePostIds().stream().map(history::post).flatMap(Optional::stream)
        .map(this::view).toList();
    Map<String, Long> terms = new HashMap<>();
    for (Aggregate g : aggregates(a.pipeline(), a.windowStart())) {
      if (g.source().equals(ALL) && g.geoCell().equals(ALL) && g.windowStart().isBefore(a.windowEnd())) {
        g.topTerms().forEach(t -> terms.merge(t.term(), t.count(), Long::sum));
      }
    }
    List<TermCount> top = terms.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(8).map(e -> new TermCount(e.getKey(), e.getValue())).toList();
    return AlertView.of(a, evidence, top);
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
        .map(m -> history.post(m.id()).map(p -> new SimilarPost(m.similarity(), view(p))).orElse(null))
        .filter(Objects::nonNull).toList();
  }

  private List<Aggregate> aggregates(String pipeline, Instant since) {
    return history.aggregates().stream()
        .filter(a -> a.pipeline().equals(pipeline) && !a.windowEnd().isBefore(since))
        .sorted(Comparator.comparing(Aggregate::windowStart)).toList();
  }
}
