package dev.pulse.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the pipeline-runtime module: the ./pulse launcher passes the whole command line
 * (e.g. {@code eval --tweeteval DIR}) and picocli dispatches it to the subcommand.
 */
@Command(
    name = "pulse",
    mixinStandardHelpOptions = true,
    version = "pulse 0.1.0-SNAPSHOT",
    description = "Pulse pipeline runtime: ingesters, the light scorer and its tools.",
    subcommands = {CommandLine.HelpCommand.class, IngestCommand.class, EvalCommand.class, TrainScorerCommand.class, SparkJobCommand.class, BenchCommand.class})
public final class RuntimeCli implements Runnable {

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  static CommandLine newCommandLine() {
    return new CommandLine(new RuntimeCli());
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
