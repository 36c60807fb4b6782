package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Real-time mode's dedup: repeats at other offsets are dropped, the same record read again (a task retry) is not. */
class RecentIdsTest {
  private static final long T = 1_700_000_000_000L;

  @Test
  void aPostSeenAtAnotherOffsetIsARepeat() {
    RecentIds ids = new RecentIds(Duration.ofMinutes(10), 1000);
    assertThat(ids.isRepeat("x:1", "feed", 0, 10, T)).isFalse();
    assertThat(ids.isRepeat("x:2", "feed", 0, 11, T)).isFalse();
    assertThat(ids.isRepeat("x:1", "feed", 0, 12, T + 1000)).as("re-sent by the ingester").isTrue();
    assertThat(ids.isRepeat("x:1", "other-feed", 1, 10, T + 2000)).as("the same post in a second feed").isTrue();
    assertThat(ids.repeats()).isEqualTo(2);
  }

  @Test
  void theSameRecordReadAgainIsNotARepeat() {
    RecentIds ids = new RecentIds(Duration.ofMinutes(10), 1000);
    assertThat(ids.isRepeat("x:1", "feed", 0, 10, T)).isFalse();
    // A failed task re-runs from the batch's first offset: its output may never have reached the sink.
    assertThat(ids.isRepeat("x:1", "feed", 0, 10, T)).isFalse();
    assertThat(ids.repeats()).isZero();
  }

  @Test
  void idsOlderThanTheHorizonAreForgotten() {
    RecentIds ids = new RecentIds(Duration.ofSeconds(60), 1000);
    ids.isRepeat("x:1", "feed", 0, 1, T);
    ids.isRepeat("x:2", "feed", 0, 2, T + 30_000);
    ids.isRepeat("x:3", "feed", 0, 3, T + 61_000);
    assertThat(ids.size()).as("x:1 fell behind the newest by more than 60 s").isEqualTo(2);
    assertThat(ids.isRepeat("x:1", "feed", 0, 9, T + 62_000)).isFalse();
    assertThat(ids.isRepeat("x:2", "feed", 0, 10, T + 62_000)).isTrue();
  }

  @Test
  void atMostMaxIdsAreHeldOldestFirstOut() {
    RecentIds ids = new RecentIds(Duration.ofHours(1), 3);
    for (int i = 0; i < 5; i++) ids.isRepeat("x:" + i, "feed", 0, i, T + i);
    assertThat(ids.size()).isEqualTo(3);
    assertThat(ids.isRepeat("x:4", "feed", 0, 99, T + 10)).isTrue();
    assertThat(ids.isRepeat("x:0", "feed", 0, 98, T + 10)).as("evicted: passes").isFalse();
  }

  @Test
  void oneInstancePerQueryAndABoundThatMakesSense() {
    assertThat(RecentIds.of("ckpt-a", Duration.ofMinutes(1), 10)).isSameAs(RecentIds.of("ckpt-a", Duration.ofMinutes(1), 10))
        .isNotSameAs(RecentIds.of("ckpt-b", Duration.ofMinutes(1), 10));
    assertThatThrownBy(() -> new RecentIds(Duration.ofMinutes(1), 0)).hasMessageContaining("maxIds");
  }
}
