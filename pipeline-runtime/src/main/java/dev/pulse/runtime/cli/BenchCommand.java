package dev.pulse.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./pulse bench ...}: the runtime's benchmarks, each printed beside its reference. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of the pipeline runtime.",
    subcommands = {BenchScorerCommand.class, BenchPipelineCommand.class})
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
