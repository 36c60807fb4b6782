package dev.pulse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart installs the CRD YAML committed under charts/pulse-operator/crds/. It must be exactly what
 * the fabric8 generator makes of the Java types; run hack/update-crds.sh after changing them.
 */
class CommittedCrdsMatchGeneratedTest {

  @Test
  void committedCrdYamlIsTheGeneratedYaml() throws IOException {
    Path chartCrds = Samples.dir().getParent().getParent().resolve("charts/pulse-operator/crds");
    for (String plural : List.of("sourcefeeds", "modeladapters", "sentimentpipelines")) {
      String generated = classpathText("META-INF/fabric8/" + plural + ".pulse.dev-v1.yml");
      Path committed = chartCrds.resolve(plural + ".pulse.dev.yaml");
      assertThat(committed).as("committed CRD (run hack/update-crds.sh)").exists();
      assertThat(Files.readString(committed))
          .as(committed + " differs from the generated CRD: run hack/update-crds.sh and commit the result")
          .isEqualTo(generated);
    }
  }

  private static String classpathText(String resource) throws IOException {
    try (InputStream in = CommittedCrdsMatchGeneratedTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource + " on the classpath (generated at build time)").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
