package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.junit.jupiter.api.Test;

/** The driver's per-batch line: what it says, and which batches get one. */
class BatchProgressLogTest {

  @Test
  void aBatchWithRowsOrASlowOneIsLoggedAnIdleFastOneIsNot() {
    assertThat(BatchProgressLog.worthLogging(1, 5, 2_000)).isTrue();
    assertThat(BatchProgressLog.worthLogging(0, 2_000, 2_000)).isTrue();
    assertThat(BatchProgressLog.worthLogging(0, 1_999, 2_000)).isFalse();
  }

  @Test
  void theLineNamesRowsDurationPhasesRatesAndState() {
    Map<String, Long> phases = new LinkedHashMap<>();
    phases.put("triggerExecution", 240L);
    phases.put("walCommit", 20L);
    phases.put("addBatch", 180L);
    String line = BatchProgressLog.describe("scored-posts", 12, 10, 240, phases, 10.0, Double.NaN,
        new StateOperatorProgress[0]);
    assertThat(line).isEqualTo("batch progress scored-posts #12: 10 rows in 240 ms (addBatch 180, walCommit 20, "
        + "triggerExecution 240), 10.0 rows/s in, 0.0 rows/s processed");
    assertThat(line).startsWith(BatchProgressLog.PREFIX);
  }
}
