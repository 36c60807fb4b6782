package dev.pulse.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Spec;

/**
 * The root {@code pulse} command: its subcommands are {@link Commands#ALL} (grouped by their first word, so {@code bench}
 * lists every benchmark), plus {@code completion} and {@code help}. A declared command's options belong to the module
 * that runs it; here it takes its arguments as they are, for the launcher to pass on.
 */
@Command(name = "pulse", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    usageHelpWidth = 118, synopsisSubcommandLabel = "COMMAND",
    description = "Pulse: real-time sentiment analysis pipelines on Kubernetes. Every command takes --help.",
    commandListHeading = "%nCommands:%n",
    footerHeading = "%nEnvironment:%n",
    footer = {"  PULSE_REBUILD=1   force a rebuild before running",
        "  PULSE_NO_BUILD=1  run what is built, never build (fails where nothing is)",
        "  JAVA_OPTS         extra JVM options"})
public final class PulseCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The whole tree: the root, the declared commands under it (or under their group), completion and help. */
  public static CommandLine commandLine() {
    CommandLine root = new CommandLine(new PulseCommand());
    Map<String, CommandLine> parents = new LinkedHashMap<>();
    parents.put("", root);
    for (Subcommand s : Commands.ALL) {
      CommandLine parent = parents.computeIfAbsent(s.parent(), words -> {
        if (!words.equals("bench")) {
          throw new IllegalStateException("no group '" + words + "' for " + s.words());
        }
        CommandLine bench = new CommandLine(new Bench());
        root.addSubcommand(bench);
        return bench;
      });
      parent.addSubcommand(s.name(), declared(s));
    }
    root.addSubcommand(new Completion());
    root.addSubcommand(new CommandLine.HelpCommand());
    return root;
  }

  private static CommandLine declared(Subcommand s) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection((Runnable) () -> {
      throw new IllegalStateException("./pulse " + s.words() + " runs in module " + s.module() + ", not here");
    });
    spec.usageMessage().width(118).description(s.description())
        .footer("", "Its options: ./pulse " + s.words() + " --help");
    spec.addPositional(PositionalParamSpec.builder().paramLabel("ARGS").arity("0..*").type(String[].class)
        .description("Passed to the command as they are.").build());
    spec.parser().unmatchedOptionsArePositionalParams(true);
    return new CommandLine(spec);
  }

  /** {@code ./pulse bench}: every benchmark, each measured beside a reference. */
  @Command(name = "bench", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "BENCHMARK",
      usageHelpWidth = 118, commandListHeading = "%nBenchmarks:%n",
      description = "Benchmarks, each beside its reference. ./pulse bench BENCHMARK --help shows its options.")
  static final class Bench implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }
  }
}
