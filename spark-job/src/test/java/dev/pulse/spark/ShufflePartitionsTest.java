package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job's stateful steps are sized to the executors' task slots unless the conf says otherwise. */
class ShufflePartitionsTest {

  @Test
  void oneExecutorOfOneCoreGetsOnePartitionNotSparksDefault200() {
    assertThat(ShufflePartitions.missing(Map.of("spark.master", "k8s://https://kubernetes.default.svc",
        "spark.executor.instances", "1", "spark.executor.cores", "1"))).contains("1");
    assertThat(ShufflePartitions.missing(Map.of("spark.master", "k8s://https://kubernetes.default.svc",
        "spark.executor.instances", "3", "spark.executor.cores", "2"))).contains("6");
    assertThat(ShufflePartitions.missing(Map.of("spark.master", "local[2]"))).contains("2");
  }

  @Test
  void anExplicitValueOrAnUnknownSlotCountIsLeftAlone() {
    assertThat(ShufflePartitions.missing(Map.of("spark.sql.shuffle.partitions", "8", "spark.executor.instances",
        "1"))).isEmpty();
    assertThat(ShufflePartitions.missing(Map.of("spark.master", "local[*]"))).isEmpty();
    assertThat(ShufflePartitions.missing(Map.of("spark.master", "k8s://x", "spark.dynamicAllocation.enabled",
        "true"))).isEmpty();
  }
}
