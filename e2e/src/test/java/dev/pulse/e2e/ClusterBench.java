package dev.pulse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testing.K8sBinaries;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pulse bench cluster}: the pipeline benchmark's rate sweep on the real single-node cluster (the minimal
 * samples as pods, the replay feed's rate set per step), beside {@code ./pulse bench pipeline} in local mode at the
 * same rates in the same run, and each side's sustained rate at p99 &lt; 1 s against the goal (the cluster at least 70
 * % of local mode's). Progress on stderr; the table alone, as markdown, on stdout.
 */
@Command(name = "pulse bench cluster", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 118,
    description = {
        "The pipeline's rate sweep on the real single-node cluster (hack/cluster: Pulse's images, the chart, a Kafka "
            + "pod, config/samples/minimal/ with the replay feed's rate set per step), beside ./pulse bench pipeline "
            + "in local mode at the same rates. Per rate: scored posts/s, ingest -> scored topic and -> dashboard "
            + "p50/p95/p99, each pod's CPU and memory (the kubelet's resource metrics); then each side's sustained "
            + "rate at p99 < 1 s and the cluster / local ratio against the 70 %% goal.",
        "Needs root, the images (target/images/*.tar: hack/images/build-images.sh) and the disk cluster.sh "
            + "preflight asks for. The cluster is torn down at the end (also on failure or Ctrl-C) and the host "
            + "checked clean, unless --keep-cluster. Run it under the cluster lock when others share the machine: "
            + "flock -w 3600 /run/lock/pulse-cluster.lock ./pulse bench cluster",
        "Progress goes to stderr, the markdown table to stdout."})
public final class ClusterBench implements Callable<Integer> {

  @Option(names = "--rates", split = ",", defaultValue = "5,10,20,40",
      description = "Rates in posts/s, in the order run (default: ${DEFAULT-VALUE}).")
  List<Integer> rates;

  @Option(names = "--step-seconds", defaultValue = "40",
      description = "How long each rate is held on the cluster, from the feed's first post, and replayed in local mode "
          + "(default: ${DEFAULT-VALUE}). All steps' posts must fit the feed's replay ConfigMap (1 MiB, ~4,400 "
          + "posts): the bench says when they do not.")
  int stepSeconds;

  @Option(names = "--drain-seconds", defaultValue = "120",
      description = "After a step, how long its posts may take to come back scored before it counts as unfinished "
          + "(default: ${DEFAULT-VALUE}).")
  int drainSeconds;

  @Option(names = "--trigger-mode", paramLabel = "MODE",
      description = "The scored-posts query's trigger on both sides: MicroBatch or RealTime (default: the minimal "
          + "sample's spec.spark.triggerMode). RealTime: the operator gives the pipeline two executors (the query's "
          + "long-running task and the aggregates' slot).")
  String triggerModeOption;

  @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "5m",
      description = "RealTime only: how often the scoring query checkpoints (spec.spark.checkpointInterval on the "
          + "cluster, --trigger-interval in local mode; each boundary pauses the stream; default: ${DEFAULT-VALUE}).")
  String checkpointInterval;

  @Option(names = "--no-local", description = "Skip ./pulse bench pipeline (the cluster only; no ratio).")
  boolean noLocal;

  @Option(names = "--keep-cluster",
      description = "Use the cluster that is up (cluster.sh status), or start one, and leave it up at the end with the "
          + "bench's pods (namespace " + ClusterRun.NAMESPACE + ", replaced at the next run): no teardown, no "
          + "host check. hack/cluster/cluster.sh down when done.")
  boolean keepCluster;

  private final PrintStream table;
  private final PrintStream progress;
  private final List<String> commandLine;

  ClusterBench(PrintStream table, PrintStream progress, List<String> commandLine) {
    this.table = table;
    this.progress = progress;
    this.commandLine = commandLine;
  }

  public static void main(String[] args) {
    // Before any logger exists: the Kafka and Kubernetes clients' INFO lines would bury the progress lines.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    PrintStream stdout = System.out;
    // The harness echoes every command it runs on System.out: that is progress here, and only the table is stdout.
    System.setOut(System.err);
    CommandLine cli = new CommandLine(new ClusterBench(stdout, System.err, List.of(args)))
        .setOut(new PrintWriter(stdout, true)).setErr(new PrintWriter(System.err, true));
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (triggerModeOption != null && !List.of("MicroBatch", "RealTime").contains(triggerModeOption)) {
      progress.println("pulse bench cluster: error: --trigger-mode must be MicroBatch or RealTime, not "
          + triggerModeOption);
      return 2;
    }
    Path root = K8sBinaries.repoRoot();
    RatePlan plan;
    String replay;
    try {
      plan = RatePlan.of(rates, stepSeconds);
      replay = plan.check(plan.replayFile(RatePlan.tweetEvalTexts(root), Instant.now()));
    } catch (IllegalArgumentException e) {
      progress.println("pulse bench cluster: error: " + e.getMessage());
      return 2;
    }
    Optional<String> cannot = NodeCluster.cannotRunHere();
    if (cannot.isPresent()) {
      progress.println("pulse bench cluster: error: this host cannot run the cluster:\n" + cannot.get());
      return 2;
    }
    List<Path> images;
    try {
      images = ImageArchives.forSuite();
    } catch (IllegalStateException e) {
      progress.println("pulse bench cluster: error: " + e.getMessage());
      return 2;
    }
    MinimalSamples samples = MinimalSamples.load();
    JsonNode spark = samples.pipelineSpec().path("spark");
    String triggerMode = triggerModeOption != null ? triggerModeOption : spark.path("triggerMode").asText("MicroBatch");
    // Real-time mode's interval is the checkpoint's (local mode takes it as --trigger-interval).
    String triggerInterval = "RealTime".equals(triggerMode) ? checkpointInterval
        : spark.path("triggerInterval").asText("1s");
    Map<String, Object> sparkOverrides = "RealTime".equals(triggerMode)
        ? Map.of("triggerMode", "RealTime", "checkpointInterval", checkpointInterval)
        : Map.of("triggerMode", "MicroBatch");
    String tier = samples.pipelineSpec().path("scoring").path("tier").asText("fast"); // the CRD's default

    Instant started = Instant.now();
    String loadAtStart = HostLoad.loadAverage();
    List<String> problems = new ArrayList<>();
    List<LocalPipelineBench.LocalRun> local = new ArrayList<>();
    List<String> localCommand = LocalPipelineBench.command(root, plan.rates(), stepSeconds, tier, triggerMode,
        triggerInterval);
    if (!noLocal) {
      // First, with no cluster up: local mode gets the machine as the cluster will (shared with whatever else runs).
      progress.println("[local] " + String.join(" ", localCommand.subList(1, localCommand.size())));
      try {
        local.addAll(LocalPipelineBench.run(localCommand, root,
            Duration.ofMinutes(20).plusSeconds(plan.rates().size() * (stepSeconds + 180L)), progress));
      } catch (Exception e) {
        problems.add("local mode: " + e.getMessage());
      }
    }
    String loadBetween = HostLoad.loadAverage();

    List<ClusterStep> steps = new ArrayList<>();
    NodeCluster cluster = null;
    try {
      progress.println("[cluster] " + (keepCluster ? "using the cluster that is up, or starting one to keep"
          : "starting a fresh cluster (hack/cluster/cluster.sh up; torn down at the end)"));
      cluster = keepCluster ? NodeCluster.attachRunning().orElseGet(NodeCluster::startUnowned)
          : NodeCluster.startOwned();
      new ClusterRun(cluster, samples, plan, replay, sparkOverrides, Duration.ofSeconds(drainSeconds), progress)
          .run(steps::add);
    } catch (Exception | AssertionError e) {
      e.printStackTrace(progress);
      problems.add("cluster: " + e.getMessage());
    } finally {
      if (cluster != null) {
        boolean owned = cluster.owned();
        progress.println("[cluster] " + (owned ? "tearing the cluster down (cluster.sh down, then verify-clean)"
            : "leaving the cluster up (--keep-cluster): KUBECONFIG=" + cluster.kubeconfig()
                + "; hack/cluster/cluster.sh down when done"));
        try {
          cluster.close();
        } catch (RuntimeException e) {
          problems.add("teardown: " + e.getMessage());
        }
      }
    }

    List<String> header = header(started, images, plan, tier, triggerMode, triggerInterval, spark, localCommand,
        loadAtStart, loadBetween);
    table.print(new BenchReport(header, plan.rates(), steps, local, !noLocal, problems).markdown());
    table.flush();
    return problems.isEmpty() ? 0 : 1;
  }

  private List<String> header(Instant started, List<Path> images, RatePlan plan, String tier, String triggerMode,
      String triggerInterval, JsonNode spark, List<String> localCommand, String loadAtStart, String loadBetween) {
    List<String> out = new ArrayList<>();
    out.add("## ./pulse bench cluster " + String.join(" ", commandLine) + "   ("
        + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(started) + " UTC)");
    out.add("");
    out.add(String.format(java.util.Locale.ROOT, "- machine: %d cores; load average %s at the start, %s when the "
            + "cluster part began, %s at the end", Runtime.getRuntime().availableProcessors(), loadAtStart,
        loadBetween, HostLoad.loadAverage()));
    out.add("- cluster: hack/cluster's single node, Pulse's images (" + images.stream().map(this::imageAge)
        .collect(Collectors.joining(", ")) + "), the chart's defaults, a Kafka pod; config/samples/minimal/ "
        + "(Spark " + triggerMode + " " + triggerInterval + ", scoring tier " + tier + ", spec.spark " + spark
        + ("RealTime".equals(triggerMode) ? " with triggerMode RealTime and checkpointInterval " + triggerInterval
            : "")
        + "); the feed's ingester pod replays the TweetEval validation texts at each rate for "
        + plan.stepSeconds() + " s, after " + ClusterRun.WARM_UP_POSTS + " warm-up posts; latency to the scored "
        + "topic from its records' timestamps, to the dashboard from the dashboard pod's histogram (interpolated in "
        + "its buckets)");
    out.add("- local mode: " + (noLocal ? "not run (--no-local)" : "./pulse " + String.join(" ",
        localCommand.subList(1, localCommand.size())) + " (the same Spark job, local[2], broker in its JVM, the "
        + "scored-posts query only; latency at the consumer)"));
    return out;
  }

  private String imageAge(Path archive) {
    try {
      Instant built = Files.getLastModifiedTime(archive).toInstant();
      return archive.getFileName() + " built "
          + DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC).format(built);
    } catch (java.io.IOException e) {
      return archive.getFileName().toString();
    }
  }
}
