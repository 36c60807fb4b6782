package dev.pulse.spark.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmittedDriverTest {

  @TempDir Path dir;

  @Test
  void theDriverPodsArgumentsAndEnvironmentBecomeTheConf() throws Exception {
    // What Spark 4.1's cluster-mode submission mounts at /opt/spark/conf/spark.properties (abridged).
    Path file = dir.resolve("spark.properties");
    Files.writeString(file, """
        spark.master=k8s\\://https\\://10.96.0.1\\:443
        spark.submit.deployMode=cluster
        spark.kubernetes.driver.pod.name=minimal-stream-driver
        spark.pulse.glossary={"terms"\\:[]}
        """);
    Map<String, String> conf = SubmittedDriver.conf(List.of("driver", "--properties-file", file.toString(), "--class",
        "dev.pulse.spark.SentimentStreamingJob", "local:///opt/pulse/lib/pulse-spark-job.jar"),
        Map.of("SPARK_DRIVER_BIND_ADDRESS", "10.244.0.31"));
    assertThat(conf).containsEntry("spark.master", "k8s://https://10.96.0.1:443")
        .containsEntry("spark.kubernetes.driver.pod.name", "minimal-stream-driver")
        .containsEntry("spark.pulse.glossary", "{\"terms\":[]}")
        .containsEntry("spark.driver.bindAddress", "10.244.0.31")
        .containsEntry("spark.submit.deployMode", "client");
  }

  @Test
  void withoutAPropertiesFileItSaysWhatItNeeds() {
    assertThatThrownBy(() -> SubmittedDriver.conf(List.of("driver"), Map.of()))
        .hasMessageContaining("--properties-file");
  }
}
