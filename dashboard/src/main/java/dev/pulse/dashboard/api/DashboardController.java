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
import dev.pulse.dashboard.status.FeedHealth;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.event.EventJson;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
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
  private final ObjectMapper json = EventJson.mapper();
  private final AlertAssist assist;
  private final FeedHealth.Source feed;

  public DashboardController(DashboardQueries queries, RecentHistory history, PipelineStatusSource status,
      LiveUpdates live, DashboardProperties props, FeedHealth.Source feed) {
    this.feed = feed;
    this.queries = queries;
    this.history = history;
    this.status = status;
    this.live = live;
    this.props = props;
    this.assist = new AlertAssist(props.gateway().url(), props.gateway().timeout(), props.gateway().token());
  }

  @GetMapping("/pipelines")
  public Map<String, Object> pipelines() {
    return Map.of("default", props.pipeline(), "pipelines", new TreeSet<>(history.pipelines()), "mode",
        props.local() ? "local" : "cluster");
  }

  /** What the dashboard holds, how far back, and so which windows the page may offer. */
  @GetMapping("/pipelines/{pipeline}/coverage")
  public Views.Coverage coverage(@PathVariable String pipeline) {
    queries.requirePipeline(pipeline);
    return queries.coverage(pipeline, props.history().lookback(), props.windowLimit(), props.history().maxPosts(),
        props.gateway().enabled());
  }

  @GetMapping("/pipelines/{pipeline}/brands")
  public List<Map<String, Object>> brands(@PathVariable String pipeline) {
    queries.requirePipeline(pipeline);
    return queries.brands().brands().stream()
        .map(b -> Map.<String, Object>of("name", b.name(), "terms", b.terms())).toList();
  }

  @GetMapping("/pipelines/{pipeline}/series")
  public List<SeriesPoint> series(@PathVariable String pipeline, @RequestParam(required = false) String window,
      @RequestParam(required = false) String source, @RequestParam(required = false) String geo,
      @RequestParam(required = false) String brand) {
    queries.requirePipeline(pipeline);
    return queries.series(pipeline, window(window), Filters.source(source), Filters.geo(geo), brand(brand));
  }

  /** The series in view as CSV or JSON (a file download). */
  @GetMapping("/pipelines/{pipeline}/series/export")
  public ResponseEntity<StreamingResponseBody> exportSeries(@PathVariable String pipeline,
      @RequestParam(required = false) String format, @RequestParam(required = false) String window,
      @RequestParam(required = false) String source, @RequestParam(required = false) String geo,
      @RequestParam(required = false) String brand) {
    queries.requirePipeline(pipeline);
    Exports.Format f = Exports.Format.of(format);
    List<SeriesPoint> points = queries.series(pipeline, window(window), Filters.source(source), Filters.geo(geo),
        brand(brand));
    return download(pipeline, "series", f, out -> {
      Exports.Sink sink = new Exports.Sink(f, out, json, false);
      sink.series(points);
      sink.close();
    });
  }

  @GetMapping("/pipelines/{pipeline}/share")
  public Views.ShareOfVoice share(@PathVariable String pipeline, @RequestParam(required = false) String window,
      @RequestParam(required = false) String source, @RequestParam(required = false) String geo) {
    queries.requirePipeline(pipeline);
    return queries.shareOfVoice(window(window), Filters.source(source), Filters.geo(geo), props.history().lookback());
  }

  @GetMapping("/pipelines/{pipeline}/sources")
  public List<SourceVolume> sources(@PathVariable String pipeline, @RequestParam(required = false) String window,
      @RequestParam(required = false) String brand) {
    queries.requirePipeline(pipeline);
    return queries.volumeBySource(pipeline, window(window), brand(brand));
  }

  @GetMapping("/pipelines/{pipeline}/geo")
  public List<GeoCell> geo(@PathVariable String pipeline, @RequestParam(required = false) String window,
      @RequestParam(required = false) String source, @RequestParam(required = false) String brand) {
    queries.requirePipeline(pipeline);
    return queries.geo(pipeline, window(window), Filters.source(source), brand(brand));
  }

  @GetMapping("/pipelines/{pipeline}/terms")
  public List<TermWeight> terms(@PathVariable String pipeline, @RequestParam(required = false) String window,
      @RequestParam(required = false) String source, @RequestParam(required = false) String geo,
      @RequestParam(required = false) String brand, @RequestParam(required = false) Integer limit) {
    queries.requirePipeline(pipeline);
    return queries.topTerms(pipeline, window(window), Filters.source(source), Filters.geo(geo), brand(brand),
        Filters.size(limit, 60, 200, "limit"));
  }

  /**
   * Held posts, newest first, paged. Every filter is optional: sentiment, source, geo (country), brand, from/to
   * (ingestion time), term (a word of the text), cell (a map cell's centre): what a drill-down from a chart asks.
   */
  @GetMapping("/pipelines/{pipeline}/posts")
  public Page<PostView> posts(@PathVariable String pipeline, @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size, @RequestParam Map<String, String> params) {
    queries.requirePipeline(pipeline);
    return queries.posts(pipeline, Filters.nonNegative(page, 0, "page"),
        Filters.size(size, 25, props.api().maxPageSize(), "size"), postFilter(params));
  }

  /** Every held post the filters match, as CSV or JSON, streamed a page at a time. */
  @GetMapping("/pipelines/{pipeline}/posts/export")
  public ResponseEntity<StreamingResponseBody> exportPosts(@PathVariable String pipeline,
      @RequestParam(required = false) String format, @RequestParam Map<String, String> params) {
    queries.requirePipeline(pipeline);
    Exports.Format f = Exports.Format.of(format);
    PostFilter filter = postFilter(params);
    int pageSize = props.api().maxPageSize();
    return download(pipeline, "posts", f, out -> {
      Exports.Sink sink = new Exports.Sink(f, out, json, true);
      queries.eachPage(filter, pageSize, sink::posts);
      sink.close();
    });
  }

  private PostFilter postFilter(Map<String, String> p) {
    return new PostFilter(Filters.sentiment(p.get("sentiment")), Filters.source(p.get("source")),
        Filters.geo(p.get("geo")), brand(p.get("brand")), Filters.instant(p.get("from"), "from"),
        Filters.instant(p.get("to"), "to"), Filters.term(p.get("term")), Filters.cell(p.get("cell")));
  }

  private ResponseEntity<StreamingResponseBody> download(String pipeline, String what, Exports.Format f,
      StreamingResponseBody body) {
    String name = "pulse-" + pipeline.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + what + "." + f.extension;
    return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, f.contentType)
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"").body(body);
  }

  private String brand(String value) {
    return Filters.brand(value, queries.brands());
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

  @PostMapping("/pipelines/{pipeline}/alerts/{id}/explain")
  public JsonNode explain(@PathVariable String pipeline, @PathVariable String id) {
    return assist.explain(alertView(pipeline, id));
  }

  @PostMapping("/pipelines/{pipeline}/alerts/{id}/draft")
  public JsonNode draft(@PathVariable String pipeline, @PathVariable String id) {
    return assist.draft(alertView(pipeline, id));
  }

  private AlertView alertView(String pipeline, String id) {
    queries.requirePipeline(pipeline);
    return queries.view(queries.alert(pipeline, id)
        .orElseThrow(() -> new NotFoundException("no alert '" + id + "' is held")));
  }

  @GetMapping("/pipelines/{pipeline}/status")
  public PipelineStatus status(@PathVariable String pipeline) {
    queries.requirePipeline(pipeline);
    PipelineStatusSource.Status s = status.status(pipeline);
    return new PipelineStatus(pipeline, s.mode(), s.phase(), s.conditions(), live.sessionCount(),
        history.postCount(), feed.feedHealth());
  }

  private Duration window(String value) {
    Duration limit = props.windowLimit();
    Duration fallback = props.api().defaultWindow().compareTo(limit) <= 0 ? props.api().defaultWindow() : limit;
    return Filters.window(value, fallback, limit);
  }
}
