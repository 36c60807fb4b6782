package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pure parts of ./pulse bench cluster: the rate plan, the figures, the rule, the report. No cluster. */
class ClusterBenchTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-12-06T16:00:00Z");

  @Test
  void aRatePlanSizesTheReplayFileAndRefusesWhatAConfigMapCannotHold() throws Exception {
    RatePlan plan = RatePlan.of(List.of(5, 10), 20);
    assertThat(plan.postsFor(5)).isEqualTo(5 * (20 + RatePlan.STEP_SLACK_SECONDS));
    assertThat(plan.postsNeeded()).isEqualTo(15 * 25);
    String file = plan.check(plan.replayFile(List.of("first text", "second \"quoted\" text"), T0));
    List<String> lines = file.lines().toList();
    assertThat(lines).hasSize(plan.postsNeeded());
    JsonNode third = JSON.readTree(lines.get(2));
    assertThat(third.path("id").asText()).isEqualTo("bench:3");
    assertThat(third.path("text").asText()).isEqualTo("first text");
    assertThat(JSON.readTree(lines.get(1)).path("text").asText()).isEqualTo("second \"quoted\" text");
    assertThat(third.path("schemaVersion").asInt()).isEqualTo(1);
    assertThat(third.path("createdAt").asText()).isEqualTo(T0.toString());

    // 100 posts/s for 60 s of 200-character texts is well over 1 MB: refused, with a step length that does fit.
    List<String> texts = List.of("x".repeat(200));
    RatePlan tooBig = RatePlan.of(List.of(100), 60);
    assertThatThrownBy(() -> tooBig.check(tooBig.replayFile(texts, T0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--step-seconds");
    String message = catchMessage(() -> tooBig.check(tooBig.replayFile(texts, T0)));
    int suggested = Integer.parseInt(message.replaceAll(".*--step-seconds (\\d+).*", "$1"));
    RatePlan fits = RatePlan.of(List.of(100), suggested);
    assertThat(fits.check(fits.replayFile(texts, T0))).isNotEmpty();
    RatePlan oneMore = RatePlan.of(List.of(100), suggested + 2);
    assertThatThrownBy(() -> oneMore.check(oneMore.replayFile(texts, T0))).isInstanceOf(IllegalArgumentException.class);

    assertThatThrownBy(() -> RatePlan.of(List.of(), 30)).hasMessageContaining("--rates");
    assertThatThrownBy(() -> RatePlan.of(List.of(0), 30)).hasMessageContaining("0");
    assertThatThrownBy(() -> RatePlan.of(List.of(5), 15)).hasMessageContaining("--step-seconds");
  }

  /** --trigger-mode RealTime: the applied pipeline runs real-time mode, the rest of the sample as it is. */
  @Test
  void theSparkOverridesReachTheAppliedPipelineAndNothingElseChanges(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    MinimalSamples samples = MinimalSamples.load();
    JsonNode sample = samples.pipelineSpec().path("spark");
    Path written = samples.writeWithReplay(dir, "{}\n", 7, true,
        Map.of("triggerMode", "RealTime", "checkpointInterval", "5m"));
    JsonNode pipeline = null;
    JsonNode feed = null;
    try (var files = java.nio.file.Files.list(written)) {
      for (Path f : files.toList()) {
        JsonNode o = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(f.toFile());
        if ("SentimentPipeline".equals(o.path("kind").asText())) pipeline = o;
        if ("SourceFeed".equals(o.path("kind").asText())) feed = o;
      }
    }
    assertThat(pipeline).isNotNull();
    JsonNode spark = pipeline.path("spec").path("spark");
    assertThat(spark.path("triggerMode").asText()).isEqualTo("RealTime");
    assertThat(spark.path("checkpointInterval").asText()).isEqualTo("5m");
    assertThat(spark.path("executor")).isEqualTo(sample.path("executor"));
    assertThat(spark.path("driver")).isEqualTo(sample.path("driver"));
    assertThat(feed.path("spec").path("replay").path("ratePerSecond").asDouble()).isEqualTo(7.0);
    assertThat(feed.path("spec").path("suspend").asBoolean()).isTrue();
    assertThat(sample.path("triggerMode").asText()).as("the sample itself is not changed").isEqualTo("MicroBatch");

    var out = new java.io.ByteArrayOutputStream();
    var bench = new ClusterBench(new java.io.PrintStream(out), new java.io.PrintStream(out), List.of());
    assertThat(new picocli.CommandLine(bench).execute("--trigger-mode", "Continuous")).isEqualTo(2);
    assertThat(out.toString()).contains("--trigger-mode must be MicroBatch or RealTime");
  }

  @Test
  void theRepositorysTweetEvalTextsAreWhatTheClusterReplays() {
    List<String> texts = RatePlan.tweetEvalTexts(dev.pulse.testing.K8sBinaries.repoRoot());
    assertThat(texts).hasSize(2000).allSatisfy(t -> assertThat(t).isNotBlank());
    // The default sweep fits the feed's ConfigMap.
    RatePlan defaults = RatePlan.of(List.of(5, 10, 20, 40), 40);
    assertThat(defaults.check(defaults.replayFile(texts, T0))).isNotEmpty();
  }

  @Test
  void latencyPercentilesAreNearestRank() {
    Latency l = Latency.of(IntStream.rangeClosed(1, 100).mapToObj(i -> (long) (101 - i)).toList());
    assertThat(l).isEqualTo(new Latency(50, 95, 99));
    assertThat(l.cell()).isEqualTo("50 / 95 / 99");
    assertThat(Latency.of(List.of(1_500L)).cell()).isEqualTo("1,500 / 1,500 / 1,500");
    assertThat(Latency.of(List.of())).isEqualTo(Latency.NONE);
    assertThat(Latency.NONE.measured()).isFalse();
    assertThat(Latency.NONE.cell()).isEqualTo("–");
  }

  @Test
  void aClusterStepCountsItsOwnPostsOnceAndMeasuresFromTheirIngestTime() {
    // 101 posts sent 100 ms apart (10 posts/s over 10 s), each scored 300 ms later, but posts 50 and 60 400 ms later.
    List<ClusterStep.Sent> sent = new ArrayList<>();
    List<PipelineTopics.Scored> scored = new ArrayList<>();
    for (int i = 0; i <= 100; i++) {
      Instant at = T0.plusMillis(100L * i);
      sent.add(new ClusterStep.Sent("bench:" + i, at));
      scored.add(new PipelineTopics.Scored("bench:" + i, at, at.plusMillis(i == 50 || i == 60 ? 400 : 300)));
    }
    // A repeat written later (the Kafka sink is at least once) and a post of another step: neither counts.
    scored.add(new PipelineTopics.Scored("bench:3", T0.plusMillis(300), T0.plusMillis(90_000)));
    scored.add(new PipelineTopics.Scored("bench:warm-up:1", T0, T0.plusMillis(50_000)));
    TreeMap<Double, Double> dashboard = new TreeMap<>(Map.of(0.25, 0.0, 0.5, 101.0, Double.POSITIVE_INFINITY, 101.0));
    ClusterStep step = ClusterStep.measure(10, sent, scored, Set.of(), dashboard,
        Map.of("kafka", new ClusterStep.Usage(0.2, 5e8)), 1.5, "1.00 2.00 3.00");

    assertThat(step.posts()).isEqualTo(101);
    assertThat(step.scored()).isEqualTo(101);
    assertThat(step.finished()).isTrue();
    assertThat(step.latency()).isEqualTo(new Latency(300, 300, 400));
    assertThat(step.ingestedPerSecond()).isCloseTo(10.0, within(1e-9));
    // 101 posts from the first send (T0) to the last first write (T0 + 10.3 s): 9.8/s, kept up with 10/s.
    assertThat(step.achieved()).isCloseTo(101 / 10.3, within(1e-9));
    assertThat(step.dashboardPosts()).isEqualTo(101);
    assertThat(step.toDashboard().p50()).isEqualTo(375); // halfway into the 0.25-0.5 s bucket
    assertThat(RateRun.sustained(step)).isTrue();
    // The same posts over a step ten times shorter cannot show 95 % of the rate: 11 posts in 1.3 s.
    ClusterStep brief = ClusterStep.measure(10, sent.subList(0, 11), scored.subList(0, 11), Set.of(),
        new TreeMap<>(), Map.of(), 0, "");
    assertThat(brief.achieved()).isCloseTo(11 / 1.3, within(1e-9));
    assertThat(RateRun.sustained(brief)).isFalse();

    // One post never scored: unfinished, so not sustained, whatever its latencies; a dead-lettered one is done.
    ClusterStep missing = ClusterStep.measure(10, sent, scored.subList(0, 100), Set.of(), new TreeMap<>(), Map.of(),
        0, "");
    assertThat(missing.finished()).isFalse();
    assertThat(RateRun.sustained(missing)).isFalse();
    assertThat(missing.toDashboard()).isEqualTo(Latency.NONE);
    ClusterStep deadLettered = ClusterStep.measure(10, sent, scored.subList(0, 100), Set.of("bench:100"),
        new TreeMap<>(), Map.of(), 0, "");
    assertThat(deadLettered.finished()).isTrue();
    assertThat(deadLettered.deadLettered()).isEqualTo(1);
  }

  @Test
  void theSustainedRateIsTheBestRateThatKeptUpUnderOneSecond() {
    List<LocalPipelineBench.LocalRun> runs = List.of(
        run(5, 4.9, 300), run(10, 9.8, 950), run(20, 18.9, 400), run(40, 39.9, 1_000),
        new LocalPipelineBench.LocalRun(80, 100, 0, Latency.NONE, false));
    // 20 delivered 18.9 < 0.95 × 20; 40 has p99 = 1 s, not under it; 80 did not finish.
    assertThat(RateRun.sustained(runs.get(0))).isTrue();
    assertThat(RateRun.sustained(runs.get(2))).isFalse();
    assertThat(RateRun.sustained(runs.get(3))).isFalse();
    assertThat(RateRun.sustained(runs.get(4))).isFalse();
    assertThat(RateRun.bestSustained(runs)).get().extracting(RateRun::rate).isEqualTo(10);
    assertThat(RateRun.bestSustained(List.of(run(5, 5, 2_000)))).isEmpty();
    assertThat(RateRun.throughput(100, 1_000, 11_000)).isEqualTo(10.0);
    assertThat(RateRun.throughput(0, 1_000, 11_000)).isZero();
  }

  @Test
  void kubeletResourceMetricsGiveEachPodsCoresAndWorkingSet() {
    String before = """
        # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
        # TYPE container_cpu_usage_seconds_total counter
        container_cpu_usage_seconds_total{container="kafka",namespace="pulse-bench",pod="pulse-kafka-1"} 10 1000000
        container_cpu_usage_seconds_total{container="spark",namespace="pulse-bench",pod="driver-1"} 4 1000000
        container_cpu_usage_seconds_total{container="sidecar",namespace="pulse-bench",pod="driver-1"} 1 1000000
        container_memory_working_set_bytes{container="kafka",namespace="pulse-bench",pod="pulse-kafka-1"} 1e+08 1000000
        node_cpu_usage_seconds_total 500 1000000
        pod_cpu_usage_seconds_total{namespace="pulse-bench",pod="pulse-kafka-1"} 10 1000000
        """;
    String after = """
        container_cpu_usage_seconds_total{container="kafka",namespace="pulse-bench",pod="pulse-kafka-1"} 15 1020000
        container_cpu_usage_seconds_total{container="spark",namespace="pulse-bench",pod="driver-1"} 12 1020000
        container_cpu_usage_seconds_total{container="sidecar",namespace="pulse-bench",pod="driver-1"} 3 1020000
        container_memory_working_set_bytes{container="spark",namespace="pulse-bench",pod="driver-1"} 3e+08 1020000
        container_memory_working_set_bytes{container="sidecar",namespace="pulse-bench",pod="driver-1"} 1e+08 1020000
        container_cpu_usage_seconds_total{container="ingest",namespace="pulse-bench",pod="ingester-2"} 2 1020000
        """;
    Map<String, KubeletResources.PodSample> b = KubeletResources.parse(before, 0);
    assertThat(b).containsOnlyKeys("pulse-bench/pulse-kafka-1", "pulse-bench/driver-1");
    assertThat(b.get("pulse-bench/driver-1").cpuSeconds()).isEqualTo(5);
    assertThat(b.get("pulse-bench/pulse-kafka-1").memoryBytes()).isEqualTo(1e8);
    List<KubeletResources.PodUsage> usage =
        KubeletResources.usage(b, 1_010_000, KubeletResources.parse(after, 0));
    Map<String, KubeletResources.PodUsage> byPod = new java.util.HashMap<>();
    usage.forEach(u -> byPod.put(u.pod(), u));
    assertThat(byPod.get("pulse-kafka-1").cores()).isCloseTo(0.25, within(1e-9)); // 5 s of CPU in 20 s
    assertThat(byPod.get("driver-1").cores()).isCloseTo(0.5, within(1e-9)); // (15 - 5) / 20
    assertThat(byPod.get("driver-1").memoryBytes()).isEqualTo(4e8);
    // Started after the first scrape: from zero at the first scrape's wall-clock time (10 s before).
    assertThat(byPod.get("ingester-2").cores()).isCloseTo(0.2, within(1e-9));

    Map<String, ClusterStep.Usage> roles = ClusterRun.byRole(usage,
        Map.of("pulse-bench/pulse-kafka-1", "kafka", "pulse-bench/driver-1", "spark driver"));
    assertThat(roles).containsOnlyKeys("kafka", "spark driver"); // the unknown ingester pod is left out
  }

  @Test
  void hostTicksGiveBusyCores() {
    HostLoad.Ticks a = HostLoad.parseStat("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n");
    assertThat(a).isEqualTo(new HostLoad.Ticks(150, 1000));
    HostLoad.Ticks b = HostLoad.parseStat("cpu  250 0 100 900 50 0 0 0 0 0\n");
    assertThat(b.coresSince(a, 2)).isCloseTo(2 * 200.0 / 300, within(1e-9));
  }

  @Test
  void localModesTableIsReadBackRowByRow() {
    String format = "%-52s %8s %7d %10s %8s %8s %8s%n";
    String output = "pulse bench pipeline: 40 s per rate (TweetEval validation texts), local[2], trigger MicroBatch\n"
        + "  done: spark micro-batch 250ms, embeddings on at 5 posts/s: 5 posts/s, p99 420 ms\n\n"
        + "run" + " ".repeat(50) + "    rate   posts    posts/s   p50 ms   p95 ms   p99 ms\n"
        + String.format(format, "reference: plain JVM loop, embeddings on (MiniLM int8 + learned tier)", "max", 2000,
            "402", "-", "-", "-")
        + String.format(format, "spark micro-batch 250ms, embeddings on", 5, 200, "5", "120", "300", "420")
        + String.format(format, "spark micro-batch 250ms, embeddings on", 10, 400, "10", "130", "350", "1200")
        + String.format(format, "spark micro-batch 250ms, embeddings on (unfinished)", 20, 350, "-", "-", "-", "-")
        + "\ngoal, embeddings on: ...\n";
    List<LocalPipelineBench.LocalRun> runs = LocalPipelineBench.parse(output);
    assertThat(runs).containsExactly(
        new LocalPipelineBench.LocalRun(5, 200, 5, new Latency(120, 300, 420), true),
        new LocalPipelineBench.LocalRun(10, 400, 10, new Latency(130, 350, 1200), true),
        new LocalPipelineBench.LocalRun(20, 350, 0, Latency.NONE, false));

    Path root = Path.of("/repo");
    assertThat(LocalPipelineBench.command(root, List.of(5, 10), 40, "fast", "MicroBatch", "250ms")).containsExactly(
        "/repo/pulse", "bench", "pipeline", "--rates", "5,10", "--seconds", "40", "--trigger-mode", "MicroBatch",
        "--trigger-interval", "250ms", "--model-shares", "none", "--embeddings", "on", "--scoring-tier", "fast");
    assertThat(LocalPipelineBench.command(root, List.of(5), 40, "lexicon", "MicroBatch", "1s"))
        .endsWith("--embeddings", "off");
  }

  @Test
  void theReportPutsBothSidesSideBySideAndJudgesTheGoal() {
    List<ClusterStep> cluster = List.of(step(5, 4.9, 600), step(10, 10, 900), step(20, 19.5, 2_500));
    List<LocalPipelineBench.LocalRun> local = List.of(run(5, 5, 200), run(10, 10, 300), run(20, 20, 400));
    BenchReport report = new BenchReport(List.of("## header"), List.of(5, 10, 20), cluster, local, true, List.of());
    String md = report.markdown();
    assertThat(md).startsWith("## header\n")
        .contains("| 5 | 11 | 4.9 | 300 / 500 / 600 | 400 / 500 / 600 (11 posts) | 100 | 5.0 | 100 / 150 / 200 |")
        .contains("| offered posts/s | kafka | spark executor | all Pulse pods |")
        .contains("| 10 | 0.20 / 477 | 0.90 / 954 | 1.10 / 1431 | 10.0 | 1.50 | 1.0 2.0 3.0 |")
        .contains("- cluster: 10.0 posts/s (offered 10, p99 900 ms)")
        .contains("- local mode: 20.0 posts/s (offered 20, p99 400 ms)")
        // 10 / 20 = 50 %; local kept up with the top rate, so the ratio is an upper bound.
        .contains("cluster / local = 50 % -> NOT met (local mode sustained the highest rate offered");
    assertThat(md).doesNotContain("Problems:");

    String met = new BenchReport(List.of(), List.of(5, 10, 20, 40), cluster,
        List.of(run(5, 5, 200), run(10, 10, 300), run(20, 13, 400), run(40, 12, 3_000)), true, List.of()).markdown();
    assertThat(met).contains("cluster / local = 100 % -> met").doesNotContain("upper bound")
        .contains("| 40 | – | – | – | – | 100 | 12.0 |");

    String noLocal = new BenchReport(List.of(), List.of(5), cluster.subList(0, 1), List.of(), false,
        List.of("cluster: boom\nsecond line")).markdown();
    assertThat(noLocal).contains("- local mode: not run").contains("not judged (local mode not run)")
        .contains("Problems:\n- cluster: boom\n  second line");
    String clusterFailed = new BenchReport(List.of(), List.of(5), List.of(), local, true, List.of("cluster: x"))
        .markdown();
    assertThat(clusterFailed).contains("- cluster: not measured").contains("not judged (no cluster step measured)")
        .doesNotContain("Pods on the cluster");
    String noneHeld = new BenchReport(List.of(), List.of(20), cluster.subList(2, 3), local, true, List.of()).markdown();
    assertThat(noneHeld).contains("- cluster: none (no rate met the rule)").contains("= 0 % -> NOT met");
  }

  private static LocalPipelineBench.LocalRun run(int rate, double achieved, long p99) {
    return new LocalPipelineBench.LocalRun(rate, 100, achieved, new Latency(p99 / 2, p99 * 3 / 4, p99), true);
  }

  private static ClusterStep step(int rate, double achieved, long p99) {
    return new ClusterStep(rate, 11, 11, 0, rate, achieved, new Latency(p99 / 2, p99 * 5 / 6, p99),
        new Latency(400, 500, 600), 11, Map.of("kafka", new ClusterStep.Usage(0.2, 5e8),
            "spark executor", new ClusterStep.Usage(0.9, 1e9)), 1.5, "1.0 2.0 3.0");
  }

  private static String catchMessage(Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a refusal");
  }
}
