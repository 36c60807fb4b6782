package dev.pulse.ingest.cli;



import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class IngestCommandTest {
  @Test
  void helpNamesTheConfigAndTheSecrets() {
    StringWriter out = new StringWriter();
    var cli = IngestCli.newCommandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("ingest", "--help")).isZero();
    assertThat(out.toString()).contains("--config=FILE").contains("--rate").contains("X_BEARER_TOKEN");
  }

  @Test
  void aBadConfigFailsWithItsReason() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("ingest", ".yaml");
    java.nio.file.Files.writeString(file, "feed: f\ntype: RSS\n");
    StringWriter err = new StringWriter();
    var cli = IngestCli.newCommandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("ingest", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("pulse ingest: invalid ingester config: kafka.bootstrapServers is required");
  }
}
