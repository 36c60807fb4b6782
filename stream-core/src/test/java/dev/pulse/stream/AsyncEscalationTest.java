package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pulse.event.EventJson;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Escalation off the stream loop: the loop publishes light scores at once while the gateway (a stand-in that answers
 * only when the test releases it) has not answered, then publishes the verdicts as updates of the same posts; over
 * the in-flight bound posts keep their light score at once; a failing gateway opens the circuit breaker.
 */
class AsyncEscalationTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private GatewayStandIn gateway;
  private final CountDownLatch release = new CountDownLatch(1);
  private long offset;

  /** "unsure" in the text: confidence 0.3, under the 0.6 threshold; else 0.9. Label neutral. */
  private static final PostScorer UNSURE_BY_TEXT = (posts, now) -> posts.stream()
      .map(p -> ScoredPost.of(p, Label.NEUTRAL, 0.0, p.text().contains("unsure") ? 0.3 : 0.9, ScoredBy.LIGHT, false,
          null, now))
      .toList();

  @BeforeEach
  void start() throws Exception {
    gateway = new GatewayStandIn();
    gateway.hold = release;
  }

  @AfterEach
  void stop() {
    release.countDown();
    gateway.close();
  }

  private PipelineSettings settings() {
    Map<String, String> c = new HashMap<>(PipelineSettingsTest.operatorConf());
    c.put("spark.pulse.llm.gatewayUrl", gateway.url());
    c.put("spark.pulse.llm.timeout", "60s");
    return PipelineSettings.from(c);
  }

  private static Post post(String id, String text) {
    return Post.of(id, Source.X, "acme-x", "h", text, "en", T0, T0, null, null, null);
  }

  private StreamEngine.Record record(String id, String text) {
    return new StreamEngine.Record(EventJson.toBytes(post(id, text)), "feed", 0, offset++, T0.toEpochMilli());
  }

  private static void await(BooleanSupplier condition, Runnable step) throws InterruptedException {
    long until = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + DEADLINE).isLessThan(until);
      step.run();
      Thread.sleep(20);
    }
  }

  @Test
  void theLoopPublishesLightScoresWhileTheLlmIsOutAndItsVerdictsAsUpdatesOfTheSamePosts() throws Exception {
    PipelineSettings s = settings();
    PostProcessor processor = new PostProcessor(s.pipeline(), UNSURE_BY_TEXT,
        new LlmEscalator(gateway.url(), s.pipeline(), 0.6, Duration.ofSeconds(60), 64), VectorSink.NONE);
    try (StreamEngine engine = new StreamEngine(s, processor, Clock.fixed(T0, ZoneOffset.UTC))) {
      // The gateway holds its answer: a loop that waited for it would not return (the timeout fails the test).
      StreamEngine.Output first = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> engine.process(List.of(
          record("p1", "the outage, unsure"), record("p2", "a sure thing"), record("p3", "unsure, fine"))));

      assertThat(first.scored()).extracting(p -> p.post().id()).containsExactly("p1", "p2", "p3");
      assertThat(first.scored()).extracting(ScoredPost::tier).containsOnly(ScoredBy.LIGHT);
      assertThat(first.scored()).extracting(ScoredPost::escalated).containsExactly(true, false, true);
      assertThat(first.scored().get(0).rationale()).isEqualTo(AsyncEscalation.PENDING);
      assertThat(first.records()).filteredOn(o -> o.topic().equals(s.scoredTopic())).extracting(StreamEngine.Out::key)
          .containsExactly("p1", "p2", "p3");
      assertThat(first.verdicts()).isEmpty();
      await(() -> gateway.requests.size() == 1, () -> { });
      assertThat(gateway.requests.get(0).path("posts")).hasSize(2);
      assertThat(engine.awaitingVerdicts()).isTrue();
      assertThat(engine.process(List.of()).verdicts()).as("nothing until the LLM answers").isEmpty();

      release.countDown();
      List<ScoredPost> verdicts = new ArrayList<>();
      List<StreamEngine.Out> updates = new ArrayList<>();
      await(() -> verdicts.size() == 2, () -> {
        StreamEngine.Output o = engine.process(List.of());
        verdicts.addAll(o.verdicts());
        updates.addAll(o.records());
      });
      assertThat(verdicts).extracting(p -> p.post().id()).containsExactlyInAnyOrder("p1", "p3");
      assertThat(verdicts).extracting(ScoredPost::tier).containsOnly(ScoredBy.LLM);
      assertThat(verdicts).extracting(ScoredPost::rationale).containsOnly("stand-in rule");
      ScoredPost p1 = verdicts.stream().filter(v -> v.post().id().equals("p1")).findFirst().orElseThrow();
      assertThat(p1.label()).isEqualTo(Label.NEGATIVE);
      List<StreamEngine.Out> scoredUpdates = updates.stream().filter(o -> o.topic().equals(s.scoredTopic())).toList();
      assertThat(scoredUpdates).as("published on the scored topic under the post's own key")
          .extracting(StreamEngine.Out::key).containsExactlyInAnyOrder("p1", "p3");
      assertThat(EventJson.read(scoredUpdates.get(0).value(), ScoredPost.class).tier()).isEqualTo(ScoredBy.LLM);
      // Both verdicts disagree with the light "neutral" at confidence >= 0.8: labelled examples for the next training.
      List<StreamEngine.Out> labelled = updates.stream().filter(o -> o.topic().equals("pulse.acme.labelled")).toList();
      assertThat(labelled).extracting(StreamEngine.Out::key).containsExactlyInAnyOrder("p1", "p3");
      var p1Example = new com.fasterxml.jackson.databind.ObjectMapper().readTree(labelled.stream()
          .filter(o -> o.key().equals("p1")).findFirst().orElseThrow().value());
      assertThat(p1Example.path("text").asText()).isEqualTo("the outage, unsure");
      assertThat(p1Example.path("label").asText()).isEqualTo("negative");
      assertThat(p1Example.path("source").asText()).isEqualTo("llm");
      assertThat(p1Example.path("lightLabel").asText()).isEqualTo("neutral");
      assertThat(p1Example.path("lightConfidence").asDouble()).isEqualTo(0.3);
      assertThat(p1Example.path("rationale").asText()).isEqualTo("stand-in rule");
      assertThat(engine.awaitingVerdicts()).isFalse();
    }
  }

  @Test
  void aWindowWithAnAwaitedVerdictClosesOnceItIsInAndCountsTheLlmLabelAsTheJobDoes() throws Exception {
    PipelineSettings s = settings();
    PostProcessor processor = new PostProcessor(s.pipeline(), UNSURE_BY_TEXT,
        new LlmEscalator(gateway.url(), s.pipeline(), 0.6, Duration.ofSeconds(60), 64), VectorSink.NONE);
    try (StreamEngine engine = new StreamEngine(s, processor, Clock.fixed(T0, ZoneOffset.UTC))) {
      Post later = Post.of("closer", Source.X, "acme-x", "h", "a sure thing", "en", T0, T0.plus(Duration.ofHours(1)),
          null, null, null);
      StreamEngine.Output first = engine.process(List.of(record("p1", "the outage, unsure"), record("p2", "sure"),
          new StreamEngine.Record(EventJson.toBytes(later), "feed", 0, offset++, later.ingestedAt().toEpochMilli())));
      assertThat(first.aggregates()).as("p1's window waits for its verdict though the watermark passed it").isEmpty();

      release.countDown();
      List<dev.pulse.event.Aggregate> aggregates = new ArrayList<>();
      await(() -> !aggregates.isEmpty(), () -> aggregates.addAll(engine.process(List.of()).aggregates()));
      // The roll-up and the per-source row (both posts are from X) count the same.
      dev.pulse.event.Aggregate rollUp = aggregates.get(0);
      assertThat(rollUp.count()).isEqualTo(2);
      assertThat(rollUp.negative()).as("p1 with the LLM's label").isEqualTo(1);
      assertThat(rollUp.neutral()).as("p2 with its light label").isEqualTo(1);
    }
  }

  @Test
  void overTheInFlightBoundPostsKeepTheirLightScoreAtOnceAndNoneIsLost() throws Exception {
    LlmEscalator escalator = new LlmEscalator(gateway.url(), "acme", 0.6, Duration.ofSeconds(60), 64);
    try (AsyncEscalation async = new AsyncEscalation(escalator, "acme", 2, 64, 1, Clock.systemUTC())) {
      List<Post> posts = List.of(post("a", "unsure"), post("b", "unsure"), post("c", "unsure"), post("d", "sure"),
          post("e", "unsure"));
      List<ScoredPost> now = async.submit(UNSURE_BY_TEXT.scoreAll(posts, T0), T0);

      assertThat(now).extracting(p -> p.post().id()).containsExactly("a", "b", "c", "d", "e");
      assertThat(now).extracting(ScoredPost::tier)
          .containsExactly(ScoredBy.LIGHT, ScoredBy.LIGHT, ScoredBy.FALLBACK, ScoredBy.LIGHT, ScoredBy.FALLBACK);
      assertThat(now.get(2).rationale()).contains("2 posts already wait for the LLM");
      assertThat(async.busy()).isTrue();

      release.countDown();
      List<ScoredPost> verdicts = new ArrayList<>();
      await(() -> verdicts.size() == 2, () -> verdicts.addAll(async.drain()));
      assertThat(verdicts).extracting(p -> p.post().id()).containsExactly("a", "b");
      await(() -> !async.busy(), () -> { });
      // Room again: the next unsure post is sent.
      assertThat(async.submit(UNSURE_BY_TEXT.scoreAll(List.of(post("f", "unsure")), T0), T0).get(0).rationale())
          .isEqualTo(AsyncEscalation.PENDING);
    }
  }

  @Test
  void aFailingGatewayOpensTheCircuitAndItsPostsKeepTheirLightScoreWithoutACall() {
    release.countDown();
    gateway.mode = GatewayStandIn.Mode.ERROR_500;
    LlmEscalator escalator = new LlmEscalator(gateway.url(), "acme", 0.6, Duration.ofSeconds(10), 64);
    List<ScoredPost> last = List.of();
    for (int i = 0; i < 10; i++) {
      last = escalator.escalate(UNSURE_BY_TEXT.scoreAll(List.of(post("x" + i, "unsure")), T0), T0);
      assertThat(last).hasSize(1);
      assertThat(last.get(0).tier()).isEqualTo(ScoredBy.FALLBACK);
    }
    assertThat(gateway.requests).as("the breaker opens after 4 failed calls of 4").hasSize(4);
    assertThat(last.get(0).rationale()).contains("circuit open");
  }
}
