package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.DeadLetter;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordRouterTest {
  private static final Instant T = Instant.parse("2026-11-24T22:00:00Z");
  private final RecordRouter router = new RecordRouter();

  private static Post post(String text) {
    return Post.of("reddit:t3_abc", Source.REDDIT, "acme", null, text, null, T, T, null, null, Engagement.NONE);
  }

  @Test
  void aValidPostComesOutCleanedAndKeyedByItsId() {
    RecordRouter.Routed r = router.route(EventJson.toBytes(post("<p>Great&amp;cheap 👍</p>\n\n see https://a.b/c")),
        "feed", 0, 5, T);
    assertThat(r.dead()).isFalse();
    assertThat(r.key()).isEqualTo("reddit:t3_abc");
    assertThat(EventJson.read(r.json(), Post.class).text()).isEqualTo("Great&cheap 👍 see");
  }

  @Test
  void anythingElseBecomesADeadLetterWithItsBytesAndWhere() {
    byte[] garbage = {(byte) 0xc3, 0x28, '{'};
    RecordRouter.Routed r = router.route(garbage, "feed-x", 2, 41, T);
    assertThat(r.dead()).isTrue();
    assertThat(r.key()).isEqualTo("dlq:feed-x:2:41");
    DeadLetter letter = EventJson.read(r.json(), DeadLetter.class);
    assertThat(letter.original()).isEqualTo(garbage);
    assertThat(letter.error()).isNotBlank();
    assertThat(letter.sourceTopic()).isEqualTo("feed-x");
    assertThat(letter.partition()).isEqualTo(2);
    assertThat(letter.offset()).isEqualTo(41);
  }

  @Test
  void aPostWithNothingLeftAfterCleaningIsDeadLetteredNotDropped() {
    RecordRouter.Routed r = router.route(EventJson.toBytes(post("<img src=x> https://t.co/abc")), "feed", 0, 1, T);
    assertThat(r.dead()).isTrue();
    assertThat(EventJson.read(r.json(), DeadLetter.class).error()).contains("no text left after cleaning");
    assertThat(new String(EventJson.read(r.json(), DeadLetter.class).original(), StandardCharsets.UTF_8))
        .contains("https://t.co/abc");
  }

  @Test
  void cleanerKeepsEmojiAndPunctuation() {
    assertThat(TextCleaner.clean("  WOW!!!   <br/>so   good 😂😂 #acme @bob www.x.com/y ")).isEqualTo(
        "WOW!!! so good 😂😂 #acme @bob");
  }
}
