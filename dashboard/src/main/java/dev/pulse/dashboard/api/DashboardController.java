package dev.pulse.dashboard.api;

import dev.pulse.dashboard.config.DashboardProperties;
import dev.pulse.dashboard.api.Views.AlertView;
import dev.pulse.dashboard.api.Views.GeoCell;
import dev.pulse.dashboard.api.Views.Page;
import dev.pulse.dashboard.api.Views.PipelineStatus;
import dev.pulse.dashboard.api.Views.PostView;
import dev.pulse.dashboard.api.Views.SeriesPoint;
import dev.pulse.dashboard.api.Views.SimilarPost;
import dev.pulse.dashboard.api.Views.SourceVolume;
import dev.pulse.dashboard.api.Views.TermWeight;
import dev.pulse.dashboard.history.RecentHistory;
import dev.pulse.dashboard.live.LiveUpdates;
import dev.pulse.dashboard.status.PipelineStatusSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The REST API under /api; every route checks its pipeline and its filters before answering. */
@RestController
@RequestMapping("/api")
public class DashboardController {
  private final DashboardQueries queries;
  private final RecentHistory history;
  private final PipelineStatusSource status;
  private final LiveUpdates live;
  private final DashboardProperties props;

  public DashboardController(DashboardQueries queries, RecentHistory history, PipelineStatusSource status,
      LiveUpdates live, DashboardProperties props) {
    this.queries = queries;
    this.history = history;
    this.status = status;
    this.live = live;
    this.props = props;
  }

  @GetMapping("/pipelines")
  public Map<String, Object> pipelines() {
    return Map.of("default", props.pipeline(), "pipelines", new TreeSet<>(history.pipelines()), "mode",
        props.local() ? "local" : "cluster");
  }

  @GetMapping("/pipelines/{pipeline}/series")
  public List<SeriesPoint> series(@PathVariable String pipeline, @RequestParam(required = false) String window,
      @RequestParam(required = false) String source, @RequestParam(required = false) String geo) {
    queries.requirePipeline(pipeline);
    return queries.series(pipeline, window(window), Filters.source(source), Filters.geo(geo));
  }

  @GetMapping("/pipelines/{pipeline}/sources")
  public List<SourceVolume> sources(@PathVariable String pipeline, @RequestParam(required = false) String window) {
    queries.requirePipeline(pipeline);
    return queries.volumeBySource(pipeline, window(window));
  }

  @GetMapping("/pipelines/{pipeline}/geo")
  public List<GeoCell> geo(@PathVariable String pipeline, @RequestParam(required = false) String window,
      @RequestParam(required = false) String source) {
    queries.requirePipeline(pipeline);
    return queries.geo(pipeline, window(window), Filters.source(source));
  }

  @GetMapping("/pipelines/{pipeline}/terms")
  public List<TermWeight> terms(@PathVariable String pipeline, @RequestParam(required = false) String window,
      @RequestParam(required = false) String source, @RequestParam(required = false) String geo,
      @RequestParam(required = false) Integer limit) {
    queries.requirePipeline(pipeline);
    return queries.topTerms(pipeline, window(window), Filters.source(source), Filters.geo(geo),
        Filters.size(limit, 60, 200, "limit"));
  }

  @GetMapping("/pipelines/{pipeline}/posts")
  public Page<PostView> posts(@PathVariable String pipeline, @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size, @RequestParam(required = false) String sentiment,
      @RequestParam(required = false) String source, @RequestParam(required = false) String geo) {
    queries.requirePipeline(pipeline);
    return queries.posts(pipeline, Filters.nonNegative(page, 0, "page"),
        Filters.size(size, 25, props.api().maxPageSize(), "size"), Filters.sentiment(sentiment),
        Filters.source(source), Filters.geo(geo));
  }

  @GetMapping("/pipelines/{pipeline}/posts/{id}/similar")
  public List<SimilarPost> similar(@PathVariable String pipeline, @PathVariable String id,
      @RequestParam(required = false) Integer k) {
    queries.requirePipeline(pipeline);
    return queries.similar(pipeline, id, Filters.size(k, 5, 50, "k"));
  }

  @GetMapping("/pipelines/{pipeline}/alerts")
  public List<AlertView> alerts(@PathVariable String pipeline, @RequestParam(required = false) Integer limit) {
    queries.requirePipeline(pipeline);
    return queries.alerts(pipeline, Filters.size(limit, 50, props.history().maxAlerts(), "limit"));
  }

  @GetMapping("/pipelines/{pipeline}/status")
  public PipelineStatus status(@PathVariable String pipeline) {
    queries.requirePipeline(pipeline);
    PipelineStatusSource.Status s = status.status(pipeline);
    return new PipelineStatus(pipeline, s.mode(), s.phase(), s.conditions(), live.sessionCount(),
        history.postCount());
  }

  private Duration window(String value) {
    return Filters.window(value, props.api().defaultWindow(), props.api().maxWindow());
  }
}
