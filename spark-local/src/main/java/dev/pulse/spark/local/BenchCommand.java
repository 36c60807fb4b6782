package dev.pulse.spark.local;



import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./pulse bench ...}: the runtime's benchmarks, each printed beside its reference. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "The pipeline benchmark (the launcher sends bench scorer and bench dashboard to their own modules).",
    subcommands = {BenchPipelineCommand.class})
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
