package dev.pulse.ingest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the ingester image and of {@code ./pulse ingest}: the launcher passes the whole command line
 * ({@code ingest --config FILE}) and picocli dispatches it to {@link IngestCommand}.
 */
@Command(
    name = "pulse",
    mixinStandardHelpOptions = true,
    version = "pulse 0.1.0-SNAPSHOT",
    description = "Pulse ingester: brings one SourceFeed's posts into Kafka.",
    subcommands = {CommandLine.HelpCommand.class, IngestCommand.class})
public final class IngestCli implements Runnable {

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  public static CommandLine newCommandLine() {
    return new CommandLine(new IngestCli());
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
