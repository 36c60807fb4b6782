package dev.pulse.local;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pulse local}: the whole data path on this machine, dashboard on http://localhost:PORT. */
@Command(name = "pulse local", mixinStandardHelpOptions = true, versionProvider = dev.pulse.cli.VersionProvider.class,
    description = {
        "Runs the whole data path on this machine: a Kafka broker (KRaft) in this JVM, the replay ingester over a",
        "bundled demo feed (news, Reddit-like and tweet-like posts about three fictional brands, with a crisis",
        "episode), scoring and embeddings, windowed aggregates and crisis alerts, an in-memory vector store, and",
        "the dashboard. Nothing is fetched from the network. Ctrl-C stops it.",
        "By default the stream core (the Spark job's steps, same code) runs in this JVM; --engine spark runs the",
        "Spark job in local mode instead, with the same settings."})
public final class LocalMain implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8080", description = "Dashboard HTTP port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--rate", defaultValue = "20",
      description = "Replay rate in posts/s (default ${DEFAULT-VALUE}; 0 = as fast as possible).")
  double rate;

  @Option(names = "--data", paramLabel = "FILE",
      description = "JSONL file of posts (event schema) to replay instead of the bundled demo feed.")
  Path data;

  @Option(names = "--window", defaultValue = "30", paramLabel = "SECONDS",
      description = {"Aggregation and crisis window in seconds (default ${DEFAULT-VALUE}): the pipeline's",
          "spec.scoring.crisis.window, as in a cluster."})
  int windowSeconds;

  @Option(names = "--no-embeddings", description = "Score with the lexicon tier only; no MiniLM embeddings, no \"posts like this\".")
  boolean noEmbeddings;

  @Option(names = "--once", description = "Replay the feed once instead of looping over it.")
  boolean once;

  /** What scores and aggregates in ./pulse local. */
  enum Engine { jvm, spark }

  @Option(names = "--engine", defaultValue = "jvm", paramLabel = "jvm|spark",
      description = {"What scores and aggregates: jvm (default) = the stream core in this JVM (parse, dedup,",
          "light scorer, windows, alert rules: the code the Spark job runs); spark = the Spark job (./pulse spark)",
          "in local mode in a JVM of its own (slower to start; its log goes to a file)."})
  Engine engine;

  @Option(names = "--no-llm", description = {"Do not escalate to the real LLM. By default unsure posts go through the",
      "LLM gateway to SmolLM2-135M-Instruct on llama.cpp (CPU, child processes; the first run compiles llama.cpp)."})
  boolean noLlm;

  @Option(names = "--observe", description = {"Also start a real Prometheus (built from its Go module on first use,",
      "cached in ~/.cache/pulse/prometheus) scraping this run, with the pipeline's alert rules loaded, and a real",
      "Jaeger receiving the posts' traces (10 %% sampled; PULSE_TRACE_SAMPLE_RATIO sets it); prints their URLs."})
  boolean observe;

  @Option(names = "--observe-port", defaultValue = "9090", paramLabel = "PORT",
      description = "Prometheus' port with --observe (default ${DEFAULT-VALUE}).")
  int observePort;

  @Option(names = "--report-every", defaultValue = "5", paramLabel = "SECONDS",
      description = "How often the console prints rate and latency (default ${DEFAULT-VALUE}).")
  int reportSeconds;

  @Override
  public Integer call() throws Exception {
    if (rate < 0 || windowSeconds < 1 || reportSeconds < 1 || port < 0 || port > 65535) {
      System.err.println("pulse local: --rate must be >= 0, --window and --report-every >= 1, --port 0-65535");
      return 2;
    }
    if (data != null && !data.toFile().canRead()) {
      System.err.println("pulse local: --data " + data + " does not exist or is not readable");
      return 2;
    }
    LocalRun run = new LocalRun(port, rate, data, windowSeconds, !noEmbeddings, !once, reportSeconds,
        engine == Engine.spark).withLlm(!noLlm);
    if (!observe) {
      return run.run();
    }
    // Jaeger first: the ingester, the stream core and the dashboard read the OTLP endpoint when they start.
    System.out.println("pulse local │ starting Jaeger (the first time it is built from its Go module: minutes) …");
    dev.pulse.local.observe.JaegerProcess jaeger = dev.pulse.local.observe.JaegerProcess.start(
        SparkJobProcess.repoRoot(), 16686, 4318);
    System.setProperty(dev.pulse.tracing.PulseTracing.ENDPOINT_PROPERTY, jaeger.otlpEndpoint());
    if (System.getenv(dev.pulse.tracing.PulseTracing.RATIO_ENV) == null) {
      System.setProperty(dev.pulse.tracing.PulseTracing.RATIO_PROPERTY, "0.1"); // a trace every few posts
    }
    try {
      return run.run(endpoints -> {
        System.out.println("pulse local │ starting Prometheus (the first time it is built from its Go module: minutes) …");
        dev.pulse.local.observe.Observer o = dev.pulse.local.observe.Observer.start(SparkJobProcess.repoRoot(),
            new dev.pulse.local.observe.Observer.Targets(endpoints.dashboardPort(), endpoints.ingesterMetricsPort(),
                endpoints.streamMetricsPort()), LocalRun.NAMESPACE, LocalRun.PIPELINE, observePort);
        o.urls().forEach(line -> System.out.println("pulse local │ observe  " + line));
        jaeger.urls().forEach(line -> System.out.println("pulse local │ observe  " + line));
        return o;
      });
    } finally {
      jaeger.close(); // also when the run did not start (its port taken)
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalMain()).execute(args)); // the launcher passes the options only
  }
}
