package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testsupport.RuntimeClasspath;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** This module ships as an image: its runtime classpath holds no broker, test or training code (issue 15). */
class RuntimeClasspathTest {
  @Test
  void theRuntimeClasspathHoldsNothingDenied() throws Exception {
    Path classpath = Path.of("target/classpath.txt");
    assertThat(classpath).as("written by the build before the tests (process-classes)").exists();
    assertThat(RuntimeClasspath.denied(classpath)).isEmpty();
  }
}
