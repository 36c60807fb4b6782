package dev.pulse.spark.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the Spark job's local mode ({@code ./pulse spark}) and of {@code ./pulse bench pipeline}: the launcher
 * passes the whole command line and picocli dispatches it to the subcommand.
 */
@Command(
    name = "pulse",
    mixinStandardHelpOptions = true,
    versionProvider = dev.pulse.cli.VersionProvider.class,
    scope = CommandLine.ScopeType.INHERIT, // subcommands answer --version with the build's version too
    description = "Pulse's Spark job in local mode, and the pipeline benchmark.",
    subcommands = {CommandLine.HelpCommand.class, SparkJobCommand.class, BenchCommand.class})
public final class SparkLocalCli implements Runnable {

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  static CommandLine newCommandLine() {
    return new CommandLine(new SparkLocalCli());
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
