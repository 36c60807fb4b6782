package dev.pulse.spark.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverConfTest {

  @TempDir Path dir;

  @Test
  void theMountedFileAndThePodNameBecomeTheConf() throws Exception {
    Path file = dir.resolve("spark-conf.json");
    // A value with the characters a properties file would need escaped: JSON carries it as it is.
    Files.writeString(file, "{\"spark.master\":\"k8s://https://kubernetes.default.svc\","
        + "\"spark.pulse.glossary\":\"{\\\"a=b\\\":\\\"c:d\\\\\\\\e\\\"}\"}");
    Map<String, String> conf = DriverConf.fromEnvironment(Map.of(DriverConf.CONF_FILE_ENV, file.toString(),
        DriverConf.POD_NAME_ENV, "minimal-spark-driver-7d9f-abcde"));
    assertThat(conf).containsEntry("spark.master", "k8s://https://kubernetes.default.svc")
        .containsEntry("spark.pulse.glossary", "{\"a=b\":\"c:d\\\\e\"}")
        .containsEntry("spark.kubernetes.driver.pod.name", "minimal-spark-driver-7d9f-abcde");
  }

  @Test
  void aPodNameInTheFileWins() throws Exception {
    Path file = dir.resolve("spark-conf.json");
    Files.writeString(file, "{\"spark.kubernetes.driver.pod.name\":\"given\"}");
    assertThat(DriverConf.fromEnvironment(Map.of(DriverConf.CONF_FILE_ENV, file.toString(),
        DriverConf.POD_NAME_ENV, "env"))).containsEntry("spark.kubernetes.driver.pod.name", "given");
  }

  @Test
  void outsideADriverPodThereIsNothing() {
    assertThat(DriverConf.fromEnvironment(Map.of("HOME", "/tmp"))).isEmpty();
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> DriverConf.fromEnvironment(Map.of(DriverConf.CONF_FILE_ENV, dir + "/none.json")))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("none.json")
        .hasMessageContaining(DriverConf.CONF_FILE_ENV);
  }
}
