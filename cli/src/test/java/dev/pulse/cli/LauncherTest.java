package dev.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher script answers usage, --help, --version and bench --help with what the root command says, and holds no
 * list of its own. It runs ../pulse with PULSE_NO_BUILD=1 on this module's build (classes and classpath.txt exist
 * from process-classes on).
 */
class LauncherTest {
  private static final Path ROOT = Path.of(System.getProperty("pulse.repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void usageHelpAndVersionComeFromTheRoot() throws Exception {
    String usage = PulseCommand.commandLine().getUsageMessage();
    assertThat(launcher()).isEqualTo(new Result(0, usage));
    assertThat(launcher("--help")).isEqualTo(new Result(0, usage));
    assertThat(launcher("help")).isEqualTo(new Result(0, usage));
    assertThat(launcher("--version")).isEqualTo(new Result(0, "pulse " + PulseVersion.get() + "\n"));
    assertThat(launcher("bench", "--help"))
        .isEqualTo(new Result(0, PulseCommand.commandLine().getSubcommands().get("bench").getUsageMessage()));
    assertThat(launcher("no-such-command").exit()).isEqualTo(2);
  }

  @Test
  void theScriptHoldsNoSecondListOfCommands() throws IOException {
    String script = Files.readString(ROOT.resolve("pulse"));
    for (Subcommand s : Commands.ALL) {
      assertThat(script).as(s.words()).doesNotContain(s.description());
      if (!s.target().isEmpty()) {
        assertThat(script).as(s.words()).doesNotContain(s.target());
      }
    }
  }

  record Result(int exit, String out) {}

  private static Result launcher(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("pulse").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PULSE_NO_BUILD", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Result(p.exitValue(), out.replace(System.lineSeparator(), "\n"));
  }
}
