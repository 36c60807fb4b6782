package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Engagement;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.stream.metrics.StreamMetrics;
import dev.pulse.testsupport.QdrantStandIn;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Qdrant off the scoring path's critical path, against the gRPC stand-in and Qdrant's real Java client: while Qdrant
 * hangs or refuses, scoring goes on at its own pace, the circuit breaker opens and the points it skips are counted
 * (pulse_vector_points_skipped_total); once Qdrant answers again the breaker closes and points are stored again.
 */
class VectorSinkBreakerTest {
  private static final Instant T = Instant.parse("2026-11-24T22:00:00Z");
  private QdrantStandIn qdrant;
  private int next;

  @BeforeEach
  void start() throws Exception {
    qdrant = new QdrantStandIn(null);
    try (QdrantClient admin = new QdrantClient(
        QdrantGrpcClient.newBuilder("127.0.0.1", qdrant.port(), false, false).build())) {
      for (String collection : List.of("hang-posts", "refuse-posts")) {
        admin.createCollectionAsync(collection,
            VectorParams.newBuilder().setSize(Embedder.DIMENSION).setDistance(Distance.Cosine).build()).get();
      }
    }
  }

  @AfterEach
  void stop() {
    qdrant.close();
  }

  private List<Post> posts(int n) {
    List<Post> out = new ArrayList<>();
    for (int i = 0; i < n; i++, next++) {
      out.add(Post.of("b:" + next, Source.X, "acme-x", "h", "post number " + next + " is fine", "en",
          T.plusSeconds(next), T.plusSeconds(next + 1), null, null, Engagement.NONE));
    }
    return out;
  }

  private static double skipped(String pipeline, String reason) {
    Counter c = StreamMetrics.get().registry().find("pulse.vector.points.skipped").tag("pipeline", pipeline)
        .tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static double breakerState(String collection) {
    Gauge g = StreamMetrics.get().registry().find("pulse.vector.breaker.state").tag("collection", collection).gauge();
    return g == null ? -1 : g.value();
  }

  private static void await(Duration deadline, BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(end);
      Thread.sleep(50);
    }
  }

  /** Scores 20 batches of 16 posts; the seconds it took. */
  private double twentyBatches(PostProcessor processor) {
    long t0 = System.nanoTime();
    int scored = 0;
    for (int batch = 0; batch < 20; batch++) {
      List<ScoredPost> out = processor.process(posts(16), T);
      scored += out.size();
    }
    assertThat(scored).isEqualTo(320);
    return (System.nanoTime() - t0) / 1e9;
  }

  @Test
  void aHangingQdrantDoesNotSlowScoringAndOpensTheBreaker() throws Exception {
    qdrant.hanging(true);
    // A 2 s client deadline: the synchronous path waited up to 3 attempts x 3 s for each batch of each partition.
    QdrantVectorSink sink = new QdrantVectorSink("127.0.0.1", qdrant.port(), false, "hang-posts",
        Duration.ofSeconds(2), 8, null);
    PostProcessor processor = new PostProcessor("hang", new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY),
        true), null, sink);
    // The reference: the same scoring and embedding with a sink that keeps the vectors in memory.
    PostProcessor reference = new PostProcessor("hang", new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY),
        true), null, new InMemoryVectorSink("breaker-reference"));
    reference.process(posts(4), T); // warm-up: the embedder's first call loads its model
    double referenceSeconds = twentyBatches(reference);
    double seconds = twentyBatches(processor);
    System.out.printf("20 batches of 16 posts: %.2f s with Qdrant hanging, %.2f s with vectors kept in memory%n",
        seconds, referenceSeconds);
    // Before: 267.6 s against a reference of about 11 s (each batch waited for its upserts' retries).
    assertThat(seconds).as("20 batches of 16 scored while Qdrant hangs (s), reference %.1f s", referenceSeconds)
        .isLessThan(referenceSeconds * 1.5 + 2);
    await(Duration.ofSeconds(60), () -> breakerState("hang-posts") == 1, "the breaker opens");
    await(Duration.ofSeconds(60), () -> skipped("hang", "breaker_open") + skipped("hang", "failed")
        + skipped("hang", "queue_full") > 0, "skipped points counted");
  }

  @Test
  void aRefusingQdrantOpensTheBreakerWhichSkipsAndCountsAndClosesWhenQdrantReturns() throws Exception {
    qdrant.failing(true);
    QdrantVectorSink sink = new QdrantVectorSink("127.0.0.1", qdrant.port(), false, "refuse-posts",
        Duration.ofSeconds(5), 4, null, Duration.ofSeconds(2));
    PostProcessor processor = new PostProcessor("refuse", new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY),
        true), null, sink);
    // Batch after batch until the breaker has opened and skipped points without calling Qdrant.
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (skipped("refuse", "breaker_open") == 0) {
      assertThat(System.nanoTime()).as("the breaker opens and skips").isLessThan(end);
      assertThat(processor.process(posts(4), T)).hasSize(4);
      Thread.sleep(20);
    }
    assertThat(breakerState("refuse-posts")).isEqualTo(1.0);
    assertThat(skipped("refuse", "failed")).as("batches Qdrant refused before the breaker opened").isGreaterThan(0);
    int callsWhileOpen = qdrant.calls();
    for (int i = 0; i < 5; i++) {
      processor.process(posts(4), T);
    }
    assertThat(sink.writer().awaitIdle(Duration.ofSeconds(30))).isTrue();
    assertThat(qdrant.calls()).as("no call reaches Qdrant while the breaker is open").isEqualTo(callsWhileOpen);

    qdrant.failing(false);
    int storedBefore = qdrant.points("refuse-posts").size();
    await(Duration.ofSeconds(60), () -> {
      processor.process(posts(4), T);
      return breakerState("refuse-posts") == 0 && qdrant.points("refuse-posts").size() > storedBefore;
    }, "the breaker closes and points are stored again");
  }
}
