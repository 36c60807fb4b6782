package dev.pulse.spark.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.spark.local.BenchPipelineCommand.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchPipelineGoalTest {
  @Test
  void anUnfinishedRunNeverCountsAsTheBestRate() {
    List<Result> results = List.of(
        new Result("spark real-time, embeddings on", 50, 1500, 50, 29, 93, 442),
        new Result("spark real-time, embeddings on (unfinished)", 115, 93, Double.NaN, -1, -1, -1),
        new Result("spark real-time, embeddings on", 129, 3870, 118, 1253, 2817, 2918));

    String goal = BenchPipelineCommand.goal(results, true, 143);

    assertThat(goal).contains("best rate at p99 < 1 s: 50 posts/s (offered 50, p99 442 ms)").endsWith("NOT met");
  }

  @Test
  void aRunThatHoldsEightyPercentOfTheModelMeetsTheGoal() {
    List<Result> results = List.of(new Result("spark real-time, embeddings on", 120, 3600, 118, 40, 300, 700));

    assertThat(BenchPipelineCommand.goal(results, true, 143)).endsWith("-> met");
  }
}
