package dev.pulse.dashboard.api;

import dev.pulse.dashboard.status.Condition;

import dev.pulse.event.Alert;
import dev.pulse.event.Geo;
import dev.pulse.event.ScoredPost;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the REST API and the WebSocket send: flat shapes the web app renders directly. */
public final class Views {
  private Views() {}

  public record PostView(String id, String source, String feed, String text, String lang, Instant createdAt,
      Instant ingestedAt, String url, Geo geo, String label, double score, double confidence, String tier) {
    public static PostView of(ScoredPost s) {
      var p = s.post();
      return new PostView(p.id(), p.source().name(), p.feed(), p.text(), p.lang(), p.createdAt(), p.ingestedAt(),
          p.url(), p.geo(), s.label().name(), s.score(), s.confidence(), s.tier().name());
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

  public record AlertView(String id, String kind, String pipeline, Instant windowStart, Instant windowEnd,
      Map<String, Double> metrics, double threshold, Instant createdAt, String explanation,
      List<String> evidencePostIds, List<PostView> evidence) {
    public static AlertView of(Alert a, List<PostView> evidence) {
      String id = a.pipeline() + ":" + a.kind() + ":" + a.windowStart().toEpochMilli();
      return new AlertView(id, a.kind().name(), a.pipeline(), a.windowStart(), a.windowEnd(), a.metrics(),
          a.threshold(), a.createdAt(), AlertExplanation.of(a), a.evidencePostIds(), evidence);
    }
  }

  public record SimilarPost(double similarity, PostView post) {}


  public record PipelineStatus(String pipeline, String mode, String phase, List<Condition> conditions,
      long liveClients, long postsHeld) {}

  public record ApiError(int status, String error, String message) {}
}
