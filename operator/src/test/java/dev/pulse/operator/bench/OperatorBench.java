package dev.pulse.operator.bench;

import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testsupport.QdrantStandIn;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pulse bench operator}: N pipelines applied at once to a real kube-apiserver + etcd with the real operator
 * running in a JVM of its own; prints the time until all converge, the API writes that took (counted by the API
 * server), the writes of a no-op resync after that, and the operator's heap. A benchmark, not a test: it lives in the
 * test sources only because it needs the test harness (API server, CRDs, Qdrant stand-in).
 */
@Command(name = "pulse bench operator", mixinStandardHelpOptions = true,
    description = {"N SentimentPipelines (each with its own SourceFeed, Qdrant collection and the samples' Secrets per "
        + "namespace) applied at once to a real kube-apiserver + etcd, reconciled by the real operator (Spring Boot, "
        + "all reconcilers) in a child JVM. No Strimzi, Spark or Deployment controller runs: 'converged' means the "
        + "operator has done its part (status written for generation 1, every owned object exists)."})
public final class OperatorBench implements java.util.concurrent.Callable<Integer> {

  @Option(names = "--count", defaultValue = "200", description = "Pipelines (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--namespaces", defaultValue = "4", description = "Namespaces they are spread over (default: ${DEFAULT-VALUE}).")
  int namespaces;

  @Option(names = "--resync-seconds", defaultValue = "75",
      description = "No-op window after convergence; longer than the operator's 60 s recheck of a pipeline that is "
          + "not Ready, so each pipeline is reconciled in it (default: ${DEFAULT-VALUE}).")
  int resyncSeconds;

  @Option(names = "--timeout-minutes", defaultValue = "20", description = "Give up converging after (default: ${DEFAULT-VALUE}).")
  int timeoutMinutes;

  @Option(names = "--operator-jvm-option", description = "Extra option for the operator's JVM, e.g. -Xmx256m (repeatable).")
  List<String> operatorJvmOptions = List.of();

  @Option(names = "--reference", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also run the reference, the same operator with -D" + ALWAYS_APPLY + "=true (every owned object "
          + "applied at every reconcile, as before the cache comparison), on an API server of its own, and print both "
          + "side by side (default: ${DEFAULT-VALUE}; --no-reference for this build only).")
  boolean reference;

  static final String ALWAYS_APPLY = "pulse.operator.always-apply";

  /** One run's figures. */
  record Round(String name, double convergedSeconds, double appliedSeconds, double writeRequestsPerPipeline,
      double storedPerPipeline, long pipelineReconciles, long resyncWriteRequests, long resyncStored,
      double heapAfterGc, double heapBeforeGc, double heapCommitted, List<String> details) {

    double resyncRequestsPerReconcile() {
      return pipelineReconciles == 0 ? 0 : resyncWriteRequests / (double) pipelineReconciles;
    }
  }

  public static void main(String[] args) {
    int exit = new CommandLine(new OperatorBench()).execute(args);
    System.exit(exit);
  }

  @Override
  public Integer call() throws Exception {
    String loadAtStart = loadAverage();
    List<Round> rounds = new java.util.ArrayList<>();
    Round candidate = round("this build", List.of());
    if (candidate == null) {
      return 1;
    }
    rounds.add(candidate);
    if (reference) {
      Round old = round("reference: always apply", List.of("-D" + ALWAYS_APPLY + "=true"));
      if (old == null) {
        return 1;
      }
      rounds.add(old);
    }
    print(rounds, loadAtStart);
    return 0;
  }

  /** One run on an API server of its own, so rounds do not share objects, caches or etcd history. */
  private Round round(String name, List<String> extraJvmOptions) throws Exception {
    System.err.println("bench: round '" + name + "': starting a kube-apiserver + etcd of its own ...");
    KubeApiServer server = KubeApiServer.startPrivate();
    try {
      KubernetesClient client = server.client();
      CrdInstaller.installAll(client);
      version = client.getKubernetesVersion().getGitVersion();
      ApiServerMetrics apiMetrics = new ApiServerMetrics(client);
      Path log = targetDir().resolve("bench-operator-" + (extraJvmOptions.isEmpty() ? "candidate" : "reference") + ".log");
      List<String> jvm = new java.util.ArrayList<>(operatorJvmOptions);
      jvm.addAll(extraJvmOptions);
      try (QdrantStandIn qdrant = new QdrantStandIn(BenchWorkload.QDRANT_KEY)) {
        BenchWorkload workload = BenchWorkload.prepare(server, count, namespaces, qdrant.port());
        workload.createSecrets(client);
        System.err.println("bench: starting the operator (child JVM, log " + log + ") ...");
        try (OperatorProcess operator = OperatorProcess.start(server.kubeconfig(), log, jvm);
             Convergence convergence = new Convergence(client, workload.units(), qdrant.collections()::containsKey)) {
          return measure(name, client, apiMetrics, workload, operator, convergence, qdrant);
        }
      }
    } finally {
      server.close();
    }
  }

  private String version = "?";
  private String workloadLine = "";

  private Round measure(String name, KubernetesClient client, ApiServerMetrics apiMetrics, BenchWorkload workload,
      OperatorProcess operator, Convergence convergence, QdrantStandIn qdrant) throws Exception {
    Map<String, Long> reconcilesAtStart = operator.reconciles();
    ApiServerMetrics.Snapshot before = apiMetrics.snapshot();
    System.err.printf("bench: applying %d pipelines and %d feeds ...%n", count, count);
    long start = System.nanoTime();
    workload.applyAll(client);
    double appliedSeconds = seconds(start);
    long deadline = start + timeoutMinutes * 60_000_000_000L;
    int converged = 0;
    long lastReport = 0;
    while ((converged = convergence.converged()) < count && System.nanoTime() < deadline) {
      if (System.nanoTime() - lastReport > 10_000_000_000L) {
        System.err.printf("bench: %.0f s, %d/%d converged%n", seconds(start), converged, count);
        lastReport = System.nanoTime();
      }
      OperatorProcess.sleep(200);
    }
    double convergedSeconds = seconds(start);
    if (converged < count) {
      System.err.printf("bench: only %d/%d converged in %d minutes%n", converged, count, timeoutMinutes);
      return null;
    }
    ApiServerMetrics.Snapshot convergenceWrites = operatorOnly(apiMetrics.snapshot().minus(before));
    Map<String, Long> convergenceReconciles = minus(operator.reconciles(), reconcilesAtStart);

    double settleSeconds = awaitQuiet(apiMetrics);
    System.err.printf("bench: converged; watching a %d s no-op resync ...%n", resyncSeconds);
    ApiServerMetrics.Snapshot resyncStart = apiMetrics.snapshot();
    Map<String, Long> reconcilesBefore = operator.reconciles();
    OperatorProcess.sleep(resyncSeconds * 1000L);
    ApiServerMetrics.Snapshot resyncWrites = operatorOnly(apiMetrics.snapshot().minus(resyncStart));
    Map<String, Long> resyncReconciles = minus(operator.reconciles(), reconcilesBefore);

    double heapBeforeGc = operator.metric("jvm_memory_used_bytes", "area=\"heap\"");
    operator.fullGc();
    // Read at once: what the operator keeps, before its reconciles make new garbage.
    double heapAfterGc = operator.metric("jvm_memory_used_bytes", "area=\"heap\"");
    double heapCommitted = operator.metric("jvm_memory_committed_bytes", "area=\"heap\"");
    List<String> histogram = operator.classHistogram(12);

    long pipelineReconciles = resyncReconciles.entrySet().stream().filter(e -> e.getKey().startsWith("SentimentPipeline "))
        .mapToLong(Map.Entry::getValue).sum();
    workloadLine = String.format("workload: %d SentimentPipelines + %d SourceFeeds over %d namespaces; %d owned objects "
        + "per pipeline+feed (%d in all) + %d Qdrant collections", count, count, namespaces,
        convergence.objectsPerUnit(), convergence.objectsPerUnit() * count, qdrant.collections().size());
    List<String> details = new java.util.ArrayList<>();
    details.add(String.format("no-op resync started once the operator had made no write request for 5 s (%.0f s after "
        + "convergence)", settleSeconds));
    details.add("write requests to convergence, per pipeline: " + perPipeline(convergenceWrites.requests()));
    details.add("writes stored to convergence, per pipeline: " + perPipeline(convergenceWrites.changes()));
    details.add("reconciles to convergence: " + convergenceReconciles);
    details.add("no-op resync write requests: " + resyncWrites.requests());
    details.add("no-op resync writes stored: " + resyncWrites.changes());
    details.add("no-op resync reconciles: " + resyncReconciles);
    details.add("operator heap by class (jcmd GC.class_histogram, top 12: #instances #bytes class):");
    details.addAll(histogram);
    return new Round(name, convergedSeconds, appliedSeconds, convergenceWrites.requestTotal() / (double) count,
        convergenceWrites.changeTotal() / (double) count, pipelineReconciles, resyncWrites.requestTotal(),
        resyncWrites.changeTotal(), heapAfterGc, heapBeforeGc, heapCommitted, details);
  }

  private void print(List<Round> rounds, String loadAtStart) {
    Runtime rt = Runtime.getRuntime();
    String machine = rt.availableProcessors() + " cores, " + memoryGib() + " GiB RAM, " + System.getProperty("os.name")
        + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version")
        + ", load average " + loadAtStart + " at the start, " + loadAverage() + " at the end (shared machine)";
    System.out.printf("%n## ./pulse bench operator --count %d   (%s UTC)%n", count, LocalDate.now(ZoneOffset.UTC));
    System.out.printf("machine: %s; Kubernetes %s (real kube-apiserver + etcd per round, no other controllers)%n",
        machine, version);
    System.out.printf("operator: child JVM running dev.pulse.operator.OperatorApplication (all 3 reconcilers, defaults)%s%n",
        operatorJvmOptions.isEmpty() ? "" : " with " + String.join(" ", operatorJvmOptions));
    System.out.println(workloadLine);
    System.out.println();
    StringBuilder header = new StringBuilder("| figure |");
    StringBuilder rule = new StringBuilder("|---|");
    rounds.forEach(r -> {
      header.append(' ').append(r.name()).append(" |");
      rule.append("---|");
    });
    System.out.println(header);
    System.out.println(rule);
    row(rounds, "time to converge, all " + count + " (goal < 60 s)", r -> String.format("%.1f s", r.convergedSeconds()));
    row(rounds, "  of which creating them", r -> String.format("%.1f s", r.appliedSeconds()));
    row(rounds, "operator API write requests per pipeline, to convergence", r -> String.format("%.1f", r.writeRequestsPerPipeline()));
    row(rounds, "operator writes stored per pipeline, to convergence", r -> String.format("%.1f", r.storedPerPipeline()));
    row(rounds, "no-op resync (" + resyncSeconds + " s): pipeline reconciles", r -> Long.toString(r.pipelineReconciles()));
    row(rounds, "no-op resync: write requests (goal 0)", r -> Long.toString(r.resyncWriteRequests()));
    row(rounds, "no-op resync: write requests per pipeline reconcile", r -> String.format("%.1f", r.resyncRequestsPerReconcile()));
    row(rounds, "no-op resync: writes stored", r -> Long.toString(r.resyncStored()));
    row(rounds, "operator heap, live after a full GC (goal < 256 MiB at 1,000)", r -> String.format("%.0f MiB", mib(r.heapAfterGc())));
    row(rounds, "operator heap used before that GC / committed", r -> String.format("%.0f / %.0f MiB",
        mib(r.heapBeforeGc()), mib(r.heapCommitted())));
    System.out.println();
    System.out.println("reference: the same build with -D" + ALWAYS_APPLY + "=true, which applies every owned object at every");
    System.out.println("  reconcile (the behaviour before the informer-cache comparison); each round on a fresh API server.");
    System.out.println("converged: every pipeline's and feed's status.observedGeneration is 1 (= metadata.generation), every");
    System.out.println("  object `./pulse render` gives for it exists, and its Qdrant collection exists; seen through watches,");
    System.out.println("  timed from the first create.");
    System.out.println("write requests: API server's apiserver_request_total, verbs POST/PUT/PATCH/APPLY/DELETE, minus the");
    System.out.println("  bench's own creates and the API server's own housekeeping (Leases, endpoints of the kubernetes");
    System.out.println("  Service, apiServerIPInfo); a no-op server-side apply counts.");
    System.out.println("writes stored: API server's etcd_requests_total create/update/delete less etcd_request_errors_total");
    System.out.println("  (an update that changes nothing never reaches etcd), minus the same.");
    System.out.println("heap: after the no-op resync, jcmd GC.run in the operator's JVM, then at once its");
    System.out.println("  jvm_memory_used_bytes{area=heap} from /actuator/prometheus.");
    for (Round r : rounds) {
      System.out.println();
      System.out.println("### " + r.name());
      r.details().forEach(System.out::println);
    }
  }

  private static void row(List<Round> rounds, String figure, java.util.function.Function<Round, String> value) {
    StringBuilder line = new StringBuilder("| ").append(figure).append(" |");
    rounds.forEach(r -> line.append(' ').append(value.apply(r)).append(" |"));
    System.out.println(line);
  }

  /** operator/target, wherever Maven was started from (this class is in target/test-classes). */
  private static Path targetDir() throws Exception {
    return Path.of(OperatorBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
  }

  /** Waits until the operator has made no write request for 5 s in a row (2 minutes at most); returns how long. */
  private static double awaitQuiet(ApiServerMetrics apiMetrics) {
    long start = System.nanoTime();
    long last = operatorOnly(apiMetrics.snapshot()).requestTotal();
    int quietSeconds = 0;
    while (quietSeconds < 5 && seconds(start) < 120) {
      OperatorProcess.sleep(1000);
      long now = operatorOnly(apiMetrics.snapshot()).requestTotal();
      quietSeconds = now == last ? quietSeconds + 1 : 0;
      last = now;
    }
    return seconds(start);
  }

  /**
   * Without the bench's own creates (namespaces, Secrets, feeds, pipelines) and the API server's own housekeeping,
   * which goes on with no client at all: its Lease renewals, the kubernetes Service's endpoints, its IP info.
   */
  static ApiServerMetrics.Snapshot operatorOnly(ApiServerMetrics.Snapshot diff) {
    Predicate<String> apiServerOwn = r -> r.startsWith("leases") || r.startsWith("endpoints ") || r.equals("endpoints")
        || r.startsWith("apiServerIPInfo");
    ApiServerMetrics.Snapshot rest = diff.without(k -> BenchWorkload.isBenchCreate(k) || apiServerOwn.test(k), apiServerOwn);
    Map<String, Long> changes = new TreeMap<>(rest.changes());
    // Each create of the bench is one stored write of that resource.
    diff.requests().forEach((key, n) -> {
      if (BenchWorkload.isBenchCreate(key)) {
        changes.merge(key.substring(0, key.indexOf(' ')), -n, Long::sum);
      }
    });
    changes.values().removeIf(v -> v == 0);
    return new ApiServerMetrics.Snapshot(rest.requests(), changes);
  }

  private String perPipeline(Map<String, Long> counts) {
    Map<String, String> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, String.format("%.2f", v / (double) count)));
    return out.toString();
  }

  private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
    out.values().removeIf(v -> v == 0);
    return out;
  }

  /** The 1-minute load average: on a shared machine, timings are only comparable at similar load. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double mib(double bytes) {
    return bytes / (1024 * 1024);
  }

  private static long memoryGib() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? Math.round(sun.getTotalMemorySize() / (1024.0 * 1024 * 1024)) : -1;
  }
}
