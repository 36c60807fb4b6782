package dev.pulse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.local.LocalRun;
import dev.pulse.testing.K8sBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./pulse local --observe} loads a copy of the rules the operator generates for the local pipeline (the local
 * module does not depend on the operator): the copy must be exactly what the operator generates today.
 * {@code -Dpulse.observe.rewrite=true} rewrites it.
 */
class ObserveRulesTest {
  private static final Path FILE = K8sBinaries.repoRoot().resolve("local/src/main/resources/observe/pulse-rules.yaml");

  @Test
  void theLocalRunLoadsTheRulesTheOperatorGenerates() throws Exception {
    Path expected = PulseRules.write(PulseRules.pipeline(LocalRun.NAMESPACE, LocalRun.PIPELINE, false),
        Files.createTempFile("pulse-rules", ".yaml"));
    if (Boolean.getBoolean("pulse.observe.rewrite")) {
      Files.writeString(FILE, "# Generated from dev.pulse.operator.pipeline.Monitoring for the local pipeline (namespace "
          + LocalRun.NAMESPACE + ", name " + LocalRun.PIPELINE + ");\n# ObserveRulesTest keeps it equal: "
          + "-Dpulse.observe.rewrite=true rewrites it.\n" + Files.readString(expected));
    }
    JsonNode want = PulseRules.YAML.readTree(expected.toFile());
    JsonNode have = PulseRules.YAML.readTree(FILE.toFile());
    assertThat(have).as(FILE + " is stale: run this test with -Dpulse.observe.rewrite=true").isEqualTo(want);
    assertThat(have.path("groups").toString()).contains("PulseCrisisAlert");
  }
}
