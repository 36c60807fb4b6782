package dev.pulse.dashboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.dashboard.brand.BrandCatalog;
import dev.pulse.dashboard.history.BrandBuckets;
import dev.pulse.dashboard.history.RecentHistory;
import dev.pulse.dashboard.live.LiveUpdates;
import dev.pulse.dashboard.metrics.LatencyTracker;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream core publishes an unsure post's light score at once and the LLM's verdict later, as a second record of
 * the same post: the dashboard shows the verdict in place of the light score, counts the post once (under its new
 * label), times the verdict apart from the post's arrival, and a replayed light record never undoes the verdict.
 */
class LlmVerdictUpdateTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private final RecentHistory history = new RecentHistory("acme", 100, 100, 100);
  private final BrandBuckets buckets = new BrandBuckets(Duration.ofMinutes(1), Duration.ofHours(1));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LatencyTracker latency = new LatencyTracker(registry);
  private final DashboardFeed feed = new DashboardFeed(history, buckets, BrandCatalog.parse(List.of("Acme")),
      new LiveUpdates(new ObjectMapper(), registry, 16), latency, null, null,
      Clock.fixed(T0.plusSeconds(2), ZoneOffset.UTC));

  private static final Post POST = Post.of("x:1", Source.X, "acme-x", "h", "acme lost my bag", "en", T0, T0, null,
      null, null);
  private static final ScoredPost PENDING = ScoredPost.of(POST, Label.NEUTRAL, 0.05, 0.3, ScoredBy.LIGHT, true,
      "LLM verdict pending", T0);
  private static final ScoredPost VERDICT = ScoredPost.of(POST, Label.NEGATIVE, -0.8, 0.9, ScoredBy.LLM, true,
      "the customer lost a bag", T0.plusSeconds(1));

  private long[] counts() {
    long[] c = new long[3];
    buckets.forEach(T0.minusSeconds(60), T0.plusSeconds(60), (start, byKey) -> byKey.values().forEach(n -> {
      c[0] += n.negative;
      c[1] += n.neutral;
      c[2] += n.positive;
    }));
    return c;
  }

  @Test
  void theVerdictReplacesTheLightScoreAndMovesTheCountWithoutCountingThePostTwice() {
    feed.onScoredPost(PENDING);
    assertThat(counts()).containsExactly(0, 1, 0);

    feed.onScoredPost(VERDICT);

    assertThat(history.post("x:1")).contains(VERDICT);
    assertThat(history.postCount()).isEqualTo(1);
    assertThat(counts()).as("negative now, neutral no more, still one post").containsExactly(1, 0, 0);
    assertThat(latency.snapshotAndReset().posts()).as("the post's arrival, timed once").isEqualTo(1);
    assertThat(latency.verdictSnapshotAndReset().posts()).as("the verdict, timed apart").isEqualTo(1);
  }

  @Test
  void theVerdictTakesTheLightScoresPlaceAmongTheNewestPosts() {
    Post later = Post.of("x:2", Source.X, "acme-x", "h", "fine", "en", T0, T0.plusSeconds(1), null, null, null);
    feed.onScoredPost(PENDING);
    feed.onScoredPost(ScoredPost.of(later, Label.NEUTRAL, 0.0, 0.9, ScoredBy.LIGHT, false, null, T0.plusSeconds(1)));
    feed.onScoredPost(VERDICT);

    assertThat(history.posts()).extracting(p -> p.post().id()).containsExactly("x:2", "x:1");
    assertThat(history.posts().get(1)).isEqualTo(VERDICT);
  }

  @Test
  void aReplayedLightRecordAfterTheVerdictLeavesTheVerdict() {
    List<ScoredPost> replay = new ArrayList<>(List.of(PENDING, VERDICT, PENDING));
    replay.forEach(feed::onScoredPost);

    assertThat(history.post("x:1")).contains(VERDICT);
    assertThat(counts()).containsExactly(1, 0, 0);
  }
}
