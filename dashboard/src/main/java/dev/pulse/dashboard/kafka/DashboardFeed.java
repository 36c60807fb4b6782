package dev.pulse.dashboard.kafka;

import dev.pulse.dashboard.api.DashboardQueries;
import dev.pulse.dashboard.brand.BrandCatalog;
import dev.pulse.dashboard.history.BrandBuckets;
import dev.pulse.dashboard.history.RecentHistory;
import dev.pulse.dashboard.live.LiveUpdates;
import dev.pulse.dashboard.metrics.LatencyTracker;
import dev.pulse.dashboard.vector.PostIndexer;
import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import java.time.Clock;

/** Where consumed records go: into the history, the vector index and, for aggregates and alerts, out to browsers. */
public final class DashboardFeed implements PipelineListener {
  private final RecentHistory history;
  private final LiveUpdates live;
  private final LatencyTracker latency;
  private final PostIndexer indexer;
  private final DashboardQueries queries;
  private final Clock clock;
  private final BrandBuckets buckets;
  private final BrandCatalog brands;

  public DashboardFeed(RecentHistory history, BrandBuckets buckets, BrandCatalog brands, LiveUpdates live,
      LatencyTracker latency, PostIndexer indexer, DashboardQueries queries, Clock clock) {
    this.buckets = buckets;
    this.brands = brands;
    this.history = history;
    this.live = live;
    this.latency = latency;
    this.indexer = indexer;
    this.queries = queries;
    this.clock = clock;
  }

  @Override
  public void onScoredPost(ScoredPost post) {
    RecentHistory.Put put = history.put(post);
    long sinceIngest = clock.millis() - post.post().ingestedAt().toEpochMilli();
    if (put.earlier() == null) {
      buckets.add(post, brands.of(post.post().text()), clock.instant());
      latency.record(sinceIngest);
    } else if (put.taken() && put.earlier().tier() == ScoredBy.LIGHT && post.tier() != ScoredBy.LIGHT) {
      // The LLM's verdict on a post shown with its light score: the same post, counted once, under its new label.
      buckets.replace(put.earlier(), post, brands.of(post.post().text()), clock.instant());
      latency.recordVerdict(sinceIngest);
    } else {
      latency.record(sinceIngest); // a repeat (replay): as before, it reached the dashboard again
    }
    if (indexer != null) {
      indexer.offer(post);
    }
  }

  @Override
  public void onAggregate(Aggregate aggregate) {
    history.add(aggregate);
    live.broadcast("aggregate", aggregate.pipeline(), aggregate);
  }

  @Override
  public void onAlert(Alert alert) {
    history.add(alert);
    live.broadcast("alert", alert.pipeline(), queries.view(alert));
  }
}
