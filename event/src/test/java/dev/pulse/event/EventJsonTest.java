package dev.pulse.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  private static final Instant T = Instant.parse("2026-11-24T22:10:05Z");

  static Post post() {
    return Post.of("x:1861002000000000003", Source.X, "acme-x", "5f1c0a", "Loving the new acme headphones 🎧", "en",
        T, T.plusMillis(350), "https://x.com/i/web/status/1861002000000000003",
        new Geo(40.7484, -73.9857, "US", "Manhattan, NY"), new Engagement(27L, 4L, 1L, 0L, 1502L));
  }

  private static String reason(String json) {
    Parsed<Post> parsed = EventJson.parsePost(json.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.isValid()).as("expected %s to be rejected", json).isFalse();
    return ((Parsed.Invalid<Post>) parsed).reason();
  }

  private static String withField(String field, String rawValue) {
    String json = EventJson.toJson(post());
    return json.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "\"" + field + "\":" + rawValue);
  }

  @Test
  void everyRecordRoundTripsWithItsSchemaVersion() {
    Post post = post();
    ScoredPost scored = ScoredPost.of(post, Label.POSITIVE, 0.82, 0.91, ScoredBy.LIGHT, false, null, T.plusSeconds(1));
    Aggregate aggregate = Aggregate.of("acme", T, T.plusSeconds(60), "X", "dr5ru", 1, 2, 3, 0.25,
        List.of(new TermCount("battery", 4)));
    Alert alert = Alert.of(AlertKind.CRISIS, "acme", T, T.plusSeconds(300),
        Map.of("negativeRatio", 0.71, "count", 240.0), 0.6, List.of(post.id()), T.plusSeconds(301));
    DeadLetter dead = DeadLetter.of(new byte[] {(byte) 0xff, 0x00, '{'}, "malformed JSON", "feed-x", 2, 17L, T);

    for (Object record : List.of(post, scored, aggregate, alert, dead)) {
      String json = EventJson.toJson(record);
      assertThat(json).startsWith("{\"schemaVersion\":1,");
      Parsed<?> back = EventJson.parse(json.getBytes(StandardCharsets.UTF_8), record.getClass());
      assertThat(back).isEqualTo(new Parsed.Valid<>(record));
    }
    assertThat(aggregate.count()).isEqualTo(6);
    assertThat(dead.original()).containsExactly((byte) 0xff, 0x00, '{');
    assertThat(EventJson.toJson(post)).contains("\"createdAt\":\"2026-11-24T22:10:05Z\"");
  }

  @Test
  void absentOptionalFieldsAreLeftOutAndReadBack() {
    Post bare = Post.of("rss:ab12", Source.RSS, "news", null, "headline", null, T, T, null, null, null);
    String json = EventJson.toJson(bare);
    assertThat(json).doesNotContain("geo").doesNotContain("lang").doesNotContain("null");
    assertThat(EventJson.parsePost(json.getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
  }

  @Test
  void invalidRecordsSayWhy() {
    assertThat(reason("{\"schemaVersion\":1, \"id\": ")).startsWith("malformed JSON at line 1");
    assertThat(reason("")).isEqualTo("empty record");
    assertThat(reason("[1,2]")).isEqualTo("not a JSON object");
    assertThat(reason(withField("schemaVersion", "2"))).isEqualTo("unsupported schemaVersion 2 (this reader knows 1)");
    assertThat(reason(EventJson.toJson(post()).replace("\"schemaVersion\":1,", "")))
        .isEqualTo("missing required field 'schemaVersion'");
    assertThat(reason(EventJson.toJson(post()).replace("\"text\":\"Loving the new acme headphones 🎧\",", "")))
        .isEqualTo("missing required field 'text'");
    assertThat(reason(withField("source", "\"MASTODON\""))).startsWith("field 'source': cannot read \"MASTODON\"");
    assertThat(reason(withField("createdAt", "\"yesterday\""))).startsWith("field 'createdAt'");
    assertThat(reason(withField("id", "\" \""))).isEqualTo("field 'id' is blank");
    assertThat(reason(EventJson.toJson(post()).replace("\"feed\":", "\"extra\":1,\"feed\":")))
        .isEqualTo("unknown field 'extra'");
    assertThat(reason(EventJson.toJson(post()).replace("\"lat\":40.7484", "\"lat\":140.0")))
        .isEqualTo("geo.lat out of range [-90, 90]: 140.0");
    assertThat(reason(EventJson.toJson(post()).replace("\"likes\":27", "\"likes\":\"27\"")))
        .startsWith("field 'engagement.likes'");
    assertThat(reason(EventJson.toJson(post()) + " trailing")).contains("malformed JSON");
  }

  @Test
  void scoredPostsAreCheckedToo() {
    String json = EventJson.toJson(ScoredPost.of(post(), Label.NEGATIVE, -0.5, 0.4, ScoredBy.LLM, true, "sarcasm", T))
        .replace("\"score\":-0.5", "\"score\":-3.0");
    Parsed<ScoredPost> parsed = EventJson.parseScoredPost(json.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed).isEqualTo(new Parsed.Invalid<ScoredPost>("field 'score' out of range [-1.0, 1.0]: -3.0"));
    String noScore = EventJson.toJson(ScoredPost.of(post(), Label.NEGATIVE, -0.5, 0.4, ScoredBy.LLM, true, null, T))
        .replace("\"score\":-0.5,", "");
    assertThat(EventJson.parseScoredPost(noScore.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Parsed.Invalid<ScoredPost>("missing required field 'score'"));
  }

  @Test
  void aggregateCountsMustAddUp() {
    String json = EventJson.toJson(Aggregate.of("acme", T, T.plusSeconds(60), "*", "*", 1, 1, 1, 0, List.of()))
        .replace("\"count\":3", "\"count\":4");
    Parsed<Aggregate> parsed = EventJson.parseAggregate(json.getBytes(StandardCharsets.UTF_8));
    assertThat(((Parsed.Invalid<Aggregate>) parsed).reason()).contains("!= count (4)");
  }
}
