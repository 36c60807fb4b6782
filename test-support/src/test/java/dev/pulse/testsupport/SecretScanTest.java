package dev.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {

  @Test
  void findsAPlantedValueAsItIsAndInBase64AndNamesItWithoutShowingIt(@TempDir Path dir) throws Exception {
    String token = SecretScan.newValue("dash");
    String key = SecretScan.newValue("qdrant");
    Path log = dir.resolve("app.log");
    Files.writeString(log, "started\nINFO auth with token " + token + "\nnothing\ndata: "
        + Base64.getEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\n");
    Path clean = dir.resolve("clean.log");
    Files.writeString(clean, "INFO token=[hidden]\n");
    List<String> found = new SecretScan().plant("dashboard token", token).plant("Qdrant API key", key)
        .findings(List.of(log, clean));
    assertThat(found).containsExactly("dashboard token in app.log:2", "Qdrant API key in app.log:4");
    assertThat(String.join("\n", found)).doesNotContain(token).doesNotContain(key);
  }

  @Test
  void refusesAValueShortEnoughToMatchByChance() {
    assertThatThrownBy(() -> new SecretScan().plant("x", "abc")).isInstanceOf(IllegalArgumentException.class);
  }
}
