package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.event.Engagement;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.event.ScoredBy;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.SentimentScorer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Escalation to the LLM gateway, against a local stand-in of the gateway speaking its documented JSON. */
class LlmEscalatorTest {
  private static final Instant NOW = Instant.parse("2026-11-24T23:00:00Z");
  private GatewayStandIn gateway;
  private final PostScorer light = new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), false);

  @BeforeEach
  void start() throws Exception {
    gateway = new GatewayStandIn();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private static Post post(int i, String text) {
    return Post.of("x:" + i, Source.X, "acme-x", "h", text, "en", NOW, NOW, null, null, Engagement.NONE);
  }

  private List<ScoredPost> scoredLight(List<Post> posts) {
    return light.scoreAll(posts, NOW);
  }

  private LlmEscalator escalator(double threshold, Duration timeout, int maxBatch) {
    return new LlmEscalator(gateway.url(), "acme", threshold, timeout, maxBatch);
  }

  @Test
  void unsurePostsGoInBoundedBatchesAndTakeTheLlmAnswer() {
    List<Post> posts = List.of(post(1, "the outage again"), post(2, "the store opens at nine"),
        post(3, "meh [budget]"), post(4, "hmm"), post(5, "ok then outage"));
    List<ScoredPost> in = scoredLight(posts);

    List<ScoredPost> out = escalator(1.0, Duration.ofSeconds(5), 2).escalate(in, NOW);

    assertThat(gateway.requests).hasSize(3);
    assertThat(gateway.requests).extracting(r -> r.path("posts").size()).containsExactly(2, 2, 1);
    JsonNode first = gateway.requests.get(0);
    assertThat(first.path("pipeline").asText()).isEqualTo("acme");
    JsonNode p1 = first.path("posts").get(0);
    assertThat(p1.path("id").asText()).isEqualTo("x:1");
    assertThat(p1.path("text").asText()).isEqualTo("the outage again");
    assertThat(p1.path("lightLabel").asText()).isEqualTo(in.get(0).label().name().toLowerCase());
    assertThat(p1.path("lightScore").asDouble()).isEqualTo(in.get(0).score());

    assertThat(out).extracting(s -> s.post().id()).containsExactly("x:1", "x:2", "x:3", "x:4", "x:5");
    assertThat(out.get(0).tier()).isEqualTo(ScoredBy.LLM);
    assertThat(out.get(0).label()).isEqualTo(Label.NEGATIVE);
    assertThat(out.get(0).score()).isEqualTo(-0.9);
    assertThat(out.get(0).confidence()).isEqualTo(0.9);
    assertThat(out.get(0).escalated()).isTrue();
    assertThat(out.get(1).label()).isEqualTo(Label.POSITIVE);
    ScoredPost budget = out.get(2);
    assertThat(budget.tier()).as("the gateway's own fallback").isEqualTo(ScoredBy.FALLBACK);
    assertThat(budget.label()).isEqualTo(in.get(2).label());
    assertThat(budget.score()).isEqualTo(in.get(2).score());
    assertThat(budget.rationale()).contains("BUDGET");
  }

  @Test
  void onlyPostsUnderTheThresholdAreSent() {
    List<Post> posts = new ArrayList<>();
    IntStream.range(0, 20).forEach(i -> posts.add(post(i, i % 2 == 0
        ? "I absolutely love this, best phone ever, amazing!!! 😍" : "the store opens at nine")));
    List<ScoredPost> in = scoredLight(posts);
    double threshold = 0.6;
    List<String> unsure = in.stream().filter(s -> s.confidence() < threshold).map(s -> s.post().id()).toList();
    assertThat(unsure).as("the fixture has both kinds").isNotEmpty().hasSizeLessThan(20);

    List<ScoredPost> out = escalator(threshold, Duration.ofSeconds(5), 256).escalate(in, NOW);

    List<String> sent = gateway.requests.stream()
        .flatMap(r -> java.util.stream.StreamSupport.stream(r.path("posts").spliterator(), false))
        .map(p -> p.path("id").asText()).toList();
    assertThat(sent).containsExactlyElementsOf(unsure);
    for (int i = 0; i < in.size(); i++) {
      boolean wasUnsure = unsure.contains(in.get(i).post().id());
      assertThat(out.get(i).tier()).isEqualTo(wasUnsure ? ScoredBy.LLM : ScoredBy.LIGHT);
      assertThat(out.get(i).escalated()).isEqualTo(wasUnsure);
    }
  }

  @Test
  void thresholdZeroSendsNothing() {
    List<ScoredPost> in = scoredLight(List.of(post(1, "hmm"), post(2, "outage")));
    assertThat(escalator(0, Duration.ofSeconds(1), 10).escalate(in, NOW)).isEqualTo(in);
    assertThat(gateway.requests).isEmpty();
  }

  @Test
  void anHttp500KeepsTheLightScoreMarkedFallback() {
    gateway.mode = GatewayStandIn.Mode.ERROR_500;
    List<ScoredPost> in = scoredLight(List.of(post(1, "the outage again"), post(2, "hmm")));
    List<ScoredPost> out = escalator(1.0, Duration.ofSeconds(5), 10).escalate(in, NOW);
    assertFallback(in, out, "HTTP 500");
  }

  @Test
  void aSlowGatewayTimesOutAndTheLightScoreStands() {
    gateway.mode = GatewayStandIn.Mode.SLOW;
    gateway.slowMillis = 3_000;
    List<ScoredPost> in = scoredLight(List.of(post(1, "the outage again"), post(2, "hmm")));
    long t0 = System.nanoTime();
    List<ScoredPost> out = escalator(1.0, Duration.ofMillis(300), 10).escalate(in, NOW);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2_500));
    assertFallback(in, out, "timed out after 300 ms");
  }

  @Test
  void anUnreachableGatewayLosesNothing() {
    gateway.close();
    List<ScoredPost> in = scoredLight(List.of(post(1, "the outage again"), post(2, "hmm")));
    List<ScoredPost> out = escalator(1.0, Duration.ofSeconds(1), 10).escalate(in, NOW);
    assertFallback(in, out, "unreachable");
  }

  private static void assertFallback(List<ScoredPost> in, List<ScoredPost> out, String why) {
    assertThat(out).hasSameSizeAs(in);
    for (int i = 0; i < in.size(); i++) {
      assertThat(out.get(i).post()).isEqualTo(in.get(i).post());
      assertThat(out.get(i).tier()).isEqualTo(ScoredBy.FALLBACK);
      assertThat(out.get(i).escalated()).isTrue();
      assertThat(out.get(i).label()).isEqualTo(in.get(i).label());
      assertThat(out.get(i).score()).isEqualTo(in.get(i).score());
      assertThat(out.get(i).confidence()).isEqualTo(in.get(i).confidence());
      assertThat(out.get(i).rationale()).contains(why);
    }
  }
}
