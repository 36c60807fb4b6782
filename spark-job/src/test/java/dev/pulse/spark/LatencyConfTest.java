package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What keeps the scored-posts query from queueing behind the aggregates query on a one-slot executor. */
class LatencyConfTest {

  @Test
  void fairPoolsAndNoLocalityWaitUnlessTheConfSaysOtherwise() {
    assertThat(LatencyConf.missing(k -> false))
        .containsExactlyInAnyOrderEntriesOf(Map.of("spark.scheduler.mode", "FAIR", "spark.locality.wait", "0s"));
    Set<String> given = Set.of("spark.scheduler.mode");
    assertThat(LatencyConf.missing(given::contains)).containsOnlyKeys("spark.locality.wait");
    assertThat(LatencyConf.missing(k -> true)).isEmpty();
  }

  @Test
  void theAggregatesQueryRunsAtMostEveryFiveSeconds() {
    assertThat(AggregatesJob.trigger(Duration.ofMillis(250))).isEqualTo(Duration.ofSeconds(5));
    assertThat(AggregatesJob.trigger(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(5));
    assertThat(AggregatesJob.trigger(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
  }
}
