package dev.pulse.dashboard.api;

import dev.pulse.dashboard.status.FeedHealth;

import dev.pulse.dashboard.status.Condition;

import dev.pulse.event.Alert;
import dev.pulse.event.Geo;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.TermCount;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the REST API and the WebSocket send: flat shapes the web app renders directly. */
public final class Views {
  private Views() {}

  /** A post as shown: {@code tier} says which scorer decided (LIGHT, LLM, FALLBACK), {@code rationale} the LLM's why. */
  public record PostView(String id, String source, String feed, String text, String lang, Instant createdAt,
      Instant ingestedAt, String url, Geo geo, String label, double score, double confidence, String tier,
      boolean escalated, String rationale, List<String> brands) {
    public static PostView of(ScoredPost s, List<String> brands) {
      var p = s.post();
      return new PostView(p.id(), p.source().name(), p.feed(), p.text(), p.lang(), p.createdAt(), p.ingestedAt(),
          p.url(), p.geo(), s.label().name(), s.score(), s.confidence(), s.tier().name(), s.escalated(),
          s.rationale(), brands);
    }
  }

  public record Page<T>(int page, int size, int total, List<T> items) {}

  public record SeriesPoint(Instant windowStart, Instant windowEnd, long count, double meanScore, long negative,
      long neutral, long positive) {}

  public record SourceVolume(String source, long count, double meanScore, long negative, long neutral,
      long positive) {}

  /** A cell of the map: the centre of a 2-degree square, how many posts came from it and their mean score. */
  public record GeoCell(double lat, double lon, long count, double meanScore, String place) {}

  /** A term, how often it occurred, and the mean score of the recent posts that contain it. */
  public record TermWeight(String term, long count, double polarity) {}

  /**
   * An alert with why it fired: {@code checks} each metric of its rule against the threshold, {@code topTerms} the
   * terms of its window (from the aggregates), {@code evidence} the posts it cites that are still held.
   */
  public record AlertView(String id, String kind, String pipeline, Instant windowStart, Instant windowEnd,
      Map<String, Double> metrics, double threshold, Instant createdAt, String explanation,
      List<String> evidencePostIds, List<PostView> evidence, List<Check> checks, List<TermCount> topTerms) {
    public static AlertView of(Alert a, List<PostView> evidence, List<TermCount> topTerms) {
      return new AlertView(id(a), a.kind().name(), a.pipeline(), a.windowStart(), a.windowEnd(), a.metrics(),
          a.threshold(), a.createdAt(), AlertExplanation.of(a), a.evidencePostIds(), evidence,
          AlertExplanation.checks(a), topTerms);
    }

    public static String id(Alert a) {
      return a.pipeline() + ":" + a.kind() + ":" + a.windowStart().toEpochMilli();
    }
  }

  /** One condition of an alert's rule: the measured value, the threshold, and whether it was met. */
  public record Check(String metric, String label, Double value, double threshold, String comparison, boolean met) {}

  /**
   * What the dashboard holds and so which windows it can fill: {@code windows} are the choices offered (none longer
   * than {@code windowLimit}, the look-back), {@code aggregatesFrom} / {@code brandsFrom} / {@code postsFrom} how far
   * back the pipeline's series, the brand counts and the raw posts (the drill-down) reach now.
   */
  public record Coverage(Instant now, String lookback, String windowLimit, List<String> windows, String bucket,
      Instant aggregatesFrom, Instant brandsFrom, Instant postsFrom, int postsHeld, int maxPosts,
      List<String> brands, boolean gateway) {}

  /** Volume share per brand over time and per brand over the window, with the previous window of the same length. */
  public record ShareOfVoice(String bucket, Instant from, Instant to, List<String> brands, List<SharePoint> points,
      List<BrandShare> totals) {}

  public record SharePoint(Instant start, Instant end, Map<String, Long> counts) {}

  /**
   * One brand over the window: {@code share} of all brand mentions, {@code net} = (positive − negative) / count;
   * {@code previous} is the window before (null when the dashboard holds no data that far back), the changes are
   * this minus previous (in share points and net points).
   */
  public record BrandShare(String brand, long count, double share, double net, double meanScore, long negative,
      long neutral, long positive, Period previous, Double shareChange, Double netChange) {}

  public record Period(Instant from, Instant to, long count, double share, double net) {}

  public record SimilarPost(double similarity, PostView post) {}


  /** {@code feed}: whether data still comes in from Kafka (see FeedHealth), shown as the page's feed badge. */
  public record PipelineStatus(String pipeline, String mode, String phase, List<Condition> conditions,
      long liveClients, long postsHeld, FeedHealth feed) {}

  public record ApiError(int status, String error, String message) {}
}
