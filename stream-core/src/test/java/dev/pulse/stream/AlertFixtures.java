package dev.pulse.stream;

import dev.pulse.event.Engagement;
import dev.pulse.event.Geo;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.event.ScoredBy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Scored posts for the aggregate and alert tests: normal windows and a crisis episode, with known ids. */
public final class AlertFixtures {
  public static final Instant T0 = Instant.parse("2026-11-24T20:00:00Z");
  public static final Duration WINDOW = Duration.ofMinutes(1);
  public static final AlertRule RULE = AlertRule.of("acme", WINDOW, 10, 0.6, 3.0, List.of("recall"));

  private AlertFixtures() {}

  public static Instant windowStart(int w) {
    return T0.plus(WINDOW.multipliedBy(w));
  }

  public static ScoredPost scored(String id, int window, int second, Source source, Geo geo, String text, Label label,
      double score) {
    Instant at = windowStart(window).plusSeconds(second);
    Post post = Post.of(id, source, "acme-feed", "h", text, "en", at, at, null, geo, Engagement.NONE);
    return ScoredPost.of(post, label, score, 0.9, ScoredBy.LIGHT, false, null, at);
  }

  /** 10 posts in window w: 3 negative, 4 neutral, 3 positive (mean 0); half from X in Paris, half from Reddit. */
  public static List<ScoredPost> normalWindow(int w) {
    List<ScoredPost> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Label label = i < 3 ? Label.NEGATIVE : i < 7 ? Label.NEUTRAL : Label.POSITIVE;
      double score = label == Label.NEGATIVE ? -0.5 : label == Label.NEUTRAL ? 0 : 0.5;
      boolean x = i % 2 == 0;
      out.add(scored("n" + w + "-" + i, w, i * 5, x ? Source.X : Source.REDDIT,
          x ? new Geo(48.85, 2.35, "FR", "Paris") : null, "checkout works fine today " + label.name().toLowerCase(),
          label, score));
    }
    return out;
  }

  /** The crisis episode in window w: 10 negative posts (ids c0..c9) and 2 positive ones. */
  public static List<ScoredPost> crisisWindow(int w) {
    List<ScoredPost> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      out.add(scored("c" + i, w, i * 4, Source.X, null, "payment declined checkout broken", Label.NEGATIVE,
          -0.5 - i * 0.04));
    }
    out.add(scored("p0", w, 45, Source.X, null, "love the new colours", Label.POSITIVE, 0.7));
    out.add(scored("p1", w, 50, Source.X, null, "great support", Label.POSITIVE, 0.6));
    return out;
  }

  /** A post far enough ahead that the watermark closes every window before {@code w}. */
  public static ScoredPost closer(int w) {
    return scored("closer-" + w, w, 30, Source.REPLAY, null, "tick", Label.NEUTRAL, 0);
  }
}
