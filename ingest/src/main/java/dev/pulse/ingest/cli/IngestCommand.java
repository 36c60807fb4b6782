package dev.pulse.ingest.cli;

import dev.pulse.contract.IngestConfig;
import dev.pulse.ingest.Ingester;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse ingest --config FILE}: one ingester, as the ingester image runs it. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
        "Runs one ingester (RSS, REDDIT, X or REPLAY) for one SourceFeed: polls the source, filters, produces posts "
            + "to Kafka keyed by post id, and checkpoints its cursor once Kafka acknowledged them.",
        "Secrets come only from the environment: REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET, X_BEARER_TOKEN."})
public final class IngestCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "Ingester config, YAML or JSON (the format is in ingest/README.md).")
  Path config;

  @Option(names = "--rate", paramLabel = "POSTS_PER_S",
      description = "REPLAY only: override the replay rate in posts/s; 0 = as fast as possible.")
  Double rate;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Override the Prometheus port (/metrics); -1 turns the endpoint off.")
  Integer metricsPort;

  @Option(names = "--polls", paramLabel = "N", defaultValue = "0",
      description = "Stop after N polls (0 = run until stopped; see --exit-when-done for REPLAY).")
  int polls;

  @Option(names = "--exit-when-done",
      description = "REPLAY: exit once the file is sent. By default the ingester then idles until stopped, as a "
          + "Deployment's container must (one that exits is restarted and crash-loops).")
  boolean exitWhenDone;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    IngestConfig cfg;
    try {
      cfg = IngestConfig.load(config);
    } catch (IOException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("pulse ingest: " + e.getMessage());
      return 2;
    }
    if (rate != null) {
      cfg = cfg.withReplayRate(rate);
    }
    if (metricsPort != null) {
      cfg = cfg.withMetricsPort(metricsPort);
    }
    CountDownLatch done = new CountDownLatch(1);
    Ingester ingester;
    try {
      ingester = new Ingester(cfg, System.getenv(), dev.pulse.ingest.Http.defaultClient(), Clock.systemUTC(),
          Ingester::kafkaSink);
    } catch (IllegalArgumentException e) { // e.g. a secret's environment variable is not set
      spec.commandLine().getErr().println("pulse ingest: " + e.getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ingester.stop();
      try {
        done.await(30, TimeUnit.SECONDS); // let the batch in flight be acknowledged, checkpointed and closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pulse-ingest-shutdown"));
    try {
      ingester.run(polls);
      if (polls == 0 && !exitWhenDone) {
        ingester.idleUntilStopped();
      }
    } finally {
      ingester.close();
      done.countDown();
    }
    return 0;
  }
}
