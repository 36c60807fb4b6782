package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.DeadLetter;
import dev.pulse.event.EventJson;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One bad item costs one item (issue 19): a post whose scoring throws is dead-lettered with the reason while the
 * others of its chunk are scored, and a dead letter's original bytes are bounded so it can always be written.
 */
class OneBadPostTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  /** Throws on a post whose text says "poison", as a scorer bug or a broken model input would. */
  static final PostScorer POISONED = (posts, now) -> posts.stream().map(p -> {
    if (p.text().contains("poison")) {
      throw new IllegalStateException("tokenizer failed on post " + p.id());
    }
    return ScoredPost.of(p, Label.NEUTRAL, 0.0, 0.9, ScoredBy.LIGHT, false, null, now);
  }).toList();

  private static Post post(String id, String text) {
    return Post.of(id, Source.X, "feed", "h", text, "en", T0, T0, null, null, null);
  }

  @Test
  void aPostWhoseScoringThrowsFailsAloneAndTheOthersAreScoredInOrder() {
    PostProcessor processor = new PostProcessor("p", POISONED, null, VectorSink.NONE);
    PostProcessor.Outcome outcome = processor.processEach(List.of(post("a", "fine"), post("b", "poison pill"),
        post("c", "also fine")), T0);
    assertThat(outcome.scored()).extracting(s -> s.post().id()).containsExactly("a", "c");
    assertThat(outcome.failed()).singleElement().satisfies(f -> {
      assertThat(f.post().id()).isEqualTo("b");
      assertThat(f.reason()).isEqualTo("scoring failed: java.lang.IllegalStateException: tokenizer failed on post b");
    });
  }

  @Test
  void theEngineDeadLettersThePoisonedPostWithItsRecordAndScoresTheRest() {
    Map<String, String> c = new HashMap<>(PipelineSettingsTest.operatorConf());
    PipelineSettings s = PipelineSettings.from(c);
    StreamEngine engine = new StreamEngine(s, new PostProcessor(s.pipeline(), POISONED, null, VectorSink.NONE),
        Clock.fixed(T0, ZoneOffset.UTC));
    byte[] poisoned = EventJson.toBytes(post("b", "poison pill"));
    StreamEngine.Output out = engine.process(List.of(
        new StreamEngine.Record(EventJson.toBytes(post("a", "fine")), "feed", 0, 7, T0.toEpochMilli()),
        new StreamEngine.Record(poisoned, "feed", 0, 8, T0.toEpochMilli())));
    assertThat(out.scored()).extracting(p -> p.post().id()).containsExactly("a");
    assertThat(out.deadLetters()).isEqualTo(1);
    DeadLetter letter = out.records().stream().filter(o -> o.topic().equals(s.deadLetterTopic()))
        .map(o -> EventJson.read(o.value(), DeadLetter.class)).findFirst().orElseThrow();
    assertThat(letter.error()).contains("scoring failed", "tokenizer failed on post b");
    assertThat(letter.original()).isEqualTo(poisoned);
    assertThat(letter.offset()).isEqualTo(8);
  }

  @Test
  void aDeadLetterKeepsAtMost64KiBOfTheOriginalAndSaysHowLargeItWas() {
    byte[] huge = new byte[200 * 1024];
    Arrays.fill(huge, (byte) 'x'); // not JSON: the router dead-letters it
    RecordRouter.Routed routed = new RecordRouter("p").route(huge, "feed", 0, 3, T0);
    assertThat(routed.dead()).isTrue();
    DeadLetter letter = EventJson.read(routed.json(), DeadLetter.class);
    assertThat(letter.original()).hasSize(DeadLetters.MAX_ORIGINAL_BYTES)
        .isEqualTo(Arrays.copyOf(huge, DeadLetters.MAX_ORIGINAL_BYTES));
    assertThat(letter.error()).endsWith("[original truncated to its first 65536 of 204800 bytes]");
    assertThat(routed.json().length).as("a record Kafka's default 1 MB limit takes").isLessThan(100 * 1024);

    byte[] small = "not json".getBytes(StandardCharsets.UTF_8);
    DeadLetter whole = EventJson.read(new RecordRouter("p").route(small, "feed", 0, 4, T0).json(), DeadLetter.class);
    assertThat(whole.original()).isEqualTo(small);
    assertThat(whole.error()).doesNotContain("truncated");
  }
}
