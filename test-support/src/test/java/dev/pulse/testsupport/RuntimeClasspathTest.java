package dev.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime-classpath check names what it denies and lets the rest pass. */
class RuntimeClasspathTest {
  @TempDir Path dir;

  @Test
  void namesTheBrokerTestAndTrainingJarsAndNothingElse() throws Exception {
    Path file = dir.resolve("classpath.txt");
    Files.writeString(file, String.join(File.pathSeparator,
        "/m2/org/apache/kafka/kafka-clients/4.1.1/kafka-clients-4.1.1.jar",
        "/m2/org/apache/kafka/kafka-test-common-runtime/4.1.1/kafka-test-common-runtime-4.1.1.jar",
        "/m2/org/apache/kafka/kafka_2.13/4.1.1/kafka_2.13-4.1.1.jar",
        "/m2/dev/pulse/pulse-scoring/0.1.0-SNAPSHOT/pulse-scoring-0.1.0-SNAPSHOT.jar",
        "/m2/dev/pulse/pulse-scoring-training/0.1.0-SNAPSHOT/pulse-scoring-training-0.1.0-SNAPSHOT.jar",
        "/m2/dev/pulse/pulse-test-support/0.1.0-SNAPSHOT/pulse-test-support-0.1.0-SNAPSHOT.jar"));
    assertThat(RuntimeClasspath.denied(file)).containsExactly("kafka-test-common-runtime-4.1.1.jar",
        "kafka_2.13-4.1.1.jar", "pulse-scoring-training-0.1.0-SNAPSHOT.jar", "pulse-test-support-0.1.0-SNAPSHOT.jar");
  }

  @Test
  void anEmptyClasspathFileIsAnError() throws Exception {
    Path file = Files.writeString(dir.resolve("empty.txt"), "");
    assertThatThrownBy(() -> RuntimeClasspath.denied(file)).isInstanceOf(IllegalStateException.class);
  }
}
