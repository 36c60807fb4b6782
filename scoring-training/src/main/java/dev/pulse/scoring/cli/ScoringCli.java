package dev.pulse.scoring.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the scoring tools ({@code ./pulse eval | train-scorer | bench scorer}): the launcher passes the whole
 * command line (e.g. {@code eval --tweeteval DIR}) and picocli dispatches it to the subcommand.
 */
@Command(
    name = "pulse",
    mixinStandardHelpOptions = true,
    versionProvider = dev.pulse.cli.VersionProvider.class,
    scope = CommandLine.ScopeType.INHERIT, // subcommands answer --version with the build's version too
    description = "Pulse scoring tools: evaluate, re-train and benchmark the light scorer.",
    subcommands = {CommandLine.HelpCommand.class, EvalCommand.class, TrainScorerCommand.class,
        ScoringCli.Bench.class})
public final class ScoringCli implements Runnable {

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  public static CommandLine newCommandLine() {
    return new CommandLine(new ScoringCli());
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** {@code ./pulse bench scorer}: the other benchmarks live with what they measure (see ./pulse bench --help). */
  @Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks of the light scorer.",
      subcommands = {BenchScorerCommand.class})
  static final class Bench implements Runnable {
    @Override
    public void run() {
      CommandLine.usage(this, System.out);
    }
  }
}
