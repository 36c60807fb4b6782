package dev.pulse.spark.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.stream.PipelineSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `pulse spark`: its options become the same spark.pulse.* settings the operator writes. */
class SparkJobCommandTest {

  @Test
  void optionsBecomeTheOperatorsSettings() throws Exception {
    SparkJobCommand cmd = new SparkJobCommand();
    new CommandLine(cmd).parseArgs("--pipeline", "acme", "--bootstrap-servers", "localhost:19092",
        "--input", "a.posts,b.posts", "--trigger-interval", "500ms", "--gateway-url", "http://localhost:8090",
        "--escalation-threshold", "0.5", "--qdrant-host", "localhost", "--checkpoint", "/tmp/ckpt",
        "--conf", "spark.pulse.aggregates.lateness=10s");
    PipelineSettings s = PipelineSettings.from(cmd.pulseConf());
    assertThat(s.pipeline()).isEqualTo("acme");
    assertThat(s.inputTopics()).containsExactly("a.posts", "b.posts");
    assertThat(s.scoredTopic()).isEqualTo("pulse.acme.scored");
    assertThat(s.deadLetterTopic()).isEqualTo("pulse.acme.dead-letters");
    assertThat(s.triggerInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.gatewayUrl()).isEqualTo("http://localhost:8090");
    assertThat(s.escalationThreshold()).isEqualTo(0.5);
    assertThat(s.vectorStore()).isEqualTo(dev.pulse.contract.VectorStoreKind.qdrant);
    assertThat(s.qdrantPort()).isEqualTo(6334);
    assertThat(s.aggregatesLateness()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aBadOptionIsReportedInOneLineWithExitCode2() {
    StringWriter err = new StringWriter();
    CommandLine cli = SparkLocalCli.newCommandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("spark", "--trigger-mode", "Continuous");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo(
        "pulse spark: spark.pulse.trigger.mode must be MicroBatch or RealTime: 'Continuous'");
  }

  @Test
  void helpListsTheCommands() {
    StringWriter out = new StringWriter();
    CommandLine cli = SparkLocalCli.newCommandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("spark", "--help")).isZero();
    assertThat(out.toString()).contains("--gateway-url", "--qdrant-host", "--trigger-mode");
    StringWriter bench = new StringWriter();
    cli.setOut(new PrintWriter(bench));
    assertThat(cli.execute("bench", "pipeline", "--help")).isZero();
    assertThat(bench.toString()).contains("--rates", "--embeddings");
  }
}
