package dev.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** --version comes from the build, not from a string in each command. */
class PulseVersionTest {
  @Test
  void theVersionIsTheBuildsAndTheCommandsSayIt() {
    assertThat(PulseVersion.get()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?")
        .isEqualTo(System.getProperty("pulse.expectedVersion", PulseVersion.get()));
    assertThat(new VersionProvider().getVersion()).containsExactly("pulse " + PulseVersion.get());
  }
}
