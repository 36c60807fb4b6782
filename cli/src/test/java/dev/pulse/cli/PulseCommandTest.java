package dev.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The root command is made from the declarations: usage, bench list, plans and completion. */
class PulseCommandTest {

  @Test
  void theUsageListsEveryTopLevelCommandAndBenchListsEveryBenchmark() {
    CommandLine root = PulseCommand.commandLine();
    String usage = root.getUsageMessage();
    String bench = root.getSubcommands().get("bench").getUsageMessage();
    for (Subcommand s : Commands.ALL) {
      String listedIn = s.parent().isEmpty() ? usage : bench;
      assertThat(listedIn).as(s.words()).contains("  " + s.name() + " ");
      assertThat(Launch.plan(s)).startsWith("pulse-launch " + s.runner() + " " + s.wordList().size() + " ");
    }
    assertThat(root.getSubcommands()).containsKeys("completion", "help");
  }

  @Test
  void aCommandLineGoesToTheCommandWithTheMostWords() {
    assertThat(Commands.find(List.of("bench", "scorer", "--help")).target())
        .isEqualTo("dev.pulse.scoring.cli.ScoringCli");
    assertThat(Commands.find(List.of("local", "--port", "1")).module()).isEqualTo("local");
    assertThat(Commands.find(List.of("bench"))).isNull();
    assertThat(Commands.find(List.of("--help"))).isNull();
    assertThat(Commands.find(List.of())).isNull();
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine root = PulseCommand.commandLine().setErr(new PrintWriter(err));
    assertThat(root.execute("no-such-command")).isEqualTo(2);
    assertThat(err.toString()).contains("no-such-command");
    assertThat(PulseCommand.commandLine().setErr(new PrintWriter(new StringWriter())).execute("bench", "nope"))
        .isEqualTo(2);
  }

  @Test
  void completionCoversTheCommandsAndTheBenchmarks() {
    StringWriter out = new StringWriter();
    String script = picocli.AutoComplete.bash("pulse", PulseCommand.commandLine());
    for (Subcommand s : Commands.ALL) {
      assertThat(script).as(s.words()).contains(s.name());
    }
    assertThat(script).contains("_complete_pulse");
    CommandLine root = PulseCommand.commandLine().setOut(new PrintWriter(out));
    // The shell is an enum: picocli refuses another.
    assertThat(PulseCommand.commandLine().setErr(new PrintWriter(new StringWriter())).execute("completion", "fish"))
        .isEqualTo(2);
  }
}
