package dev.pulse.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./pulse completion bash}: the completion script picocli generates from the root's command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a shell completion script for the commands and their words.",
        "  source <(./pulse completion bash)     (or save it under /etc/bash_completion.d/)"})
final class Completion implements Callable<Integer> {
  /** The script picocli writes serves both: under zsh it loads bashcompinit first. */
  enum Shell { bash, zsh }

  @Parameters(index = "0", arity = "0..1", defaultValue = "bash",
      description = "The shell: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Shell shell;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("pulse", spec.root().commandLine());
    System.out.print(script);
    // The launcher is run as ./pulse from a checkout as often as from the PATH.
    System.out.println("complete -F _complete_pulse -o default ./pulse");
    return 0;
  }
}
