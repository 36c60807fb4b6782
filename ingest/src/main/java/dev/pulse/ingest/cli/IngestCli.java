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
    versionProvider = dev.pulse.cli.VersionProvider.class,
    scope = CommandLine.ScopeType.INHERIT, // subcommands answer --version with the build's version too
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
