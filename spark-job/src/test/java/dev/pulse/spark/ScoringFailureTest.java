package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.DeadLetter;
import dev.pulse.event.EventJson;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.PostScorer;
import dev.pulse.stream.VectorSink;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * The scored-posts query's partition function (what each Spark task runs) with a scorer that throws on one post:
 * that post goes to the dead-letter topic with the reason and where it was read; the task does not fail, and the
 * other posts of the chunk are scored (issue 19: an exception while scoring must not fail the task, and with it the
 * same batch at every restart).
 */
class ScoringFailureTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private static final PostScorer POISONED = (posts, now) -> posts.stream().map(p -> {
    if (p.text().contains("poison")) {
      throw new IllegalArgumentException("cannot score post " + p.id());
    }
    return ScoredPost.of(p, Label.POSITIVE, 0.5, 0.9, ScoredBy.LIGHT, false, null, now);
  }).toList();

  private static Row routed(String id, String text, long offset) {
    Post post = Post.of(id, Source.X, "feed", "h", text, "en", T0, T0, null, null, null);
    return RowFactory.create(false, id, EventJson.toBytes(post), Timestamp.from(T0), "feed-topic", 2, offset);
  }

  @Test
  void aPostThatMakesScoringThrowIsDeadLetteredAndTheTaskGoesOn() {
    List<Row> in = List.of(routed("a", "fine", 10), routed("b", "poison", 11), routed("c", "fine too", 12));
    List<Row> out = new ArrayList<>();
    ScoredPostsJob.score(in.iterator(), new PostProcessor("p", POISONED, null, VectorSink.NONE), "scored", "dead",
        ScoredPostsJob.CHUNK, null).forEachRemaining(out::add);
    assertThat(out).filteredOn(r -> r.getString(0).equals("scored")).extracting(r -> r.getString(1))
        .containsExactly("a", "c");
    List<Row> dead = out.stream().filter(r -> r.getString(0).equals("dead")).toList();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).getString(1)).isEqualTo("dlq:feed-topic:2:11");
    DeadLetter letter = EventJson.read((byte[]) dead.get(0).get(2), DeadLetter.class);
    assertThat(letter.error()).isEqualTo("scoring failed: java.lang.IllegalArgumentException: cannot score post b");
    assertThat(letter.sourceTopic()).isEqualTo("feed-topic");
    assertThat(letter.partition()).isEqualTo(2);
    assertThat(letter.offset()).isEqualTo(11);
    assertThat(EventJson.read(letter.original(), Post.class).id()).isEqualTo("b");
  }
}
