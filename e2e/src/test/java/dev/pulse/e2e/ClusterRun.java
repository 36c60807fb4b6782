package dev.pulse.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The cluster half of {@code ./pulse bench cluster}, on a running node: Pulse's images loaded, the chart installed,
 * a Kafka pod, the minimal samples with a replay file big enough for the sweep and the feed suspended; then, per
 * rate, the feed resumed at that rate for the step, suspended, and the step's posts followed to the scored topic and
 * the dashboard pod. The same pieces as {@link PulseOnClusterIT}: {@link KafkaOnCluster}, {@link Helm},
 * {@link MinimalSamples}, {@link SparkOnCluster}, {@link PipelineTopics}, {@link DashboardLatency}.
 */
final class ClusterRun {

  static final String NAMESPACE = "pulse-bench";
  static final Duration POD_START = Duration.ofMinutes(5);
  /** Posts written straight into the feed topic and scored before the first step: JIT, model load, first batches. */
  static final int WARM_UP_POSTS = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeCluster cluster;
  private final KubernetesClient client;
  private final MinimalSamples samples;
  private final RatePlan plan;
  private final String replayFile;
  private final Map<String, Object> sparkOverrides;
  private final Duration drain;
  private final PrintStream progress;
  private KafkaOnCluster kafka;
  private SparkOnCluster spark;
  private String dashboard;
  private String node;

  ClusterRun(NodeCluster cluster, MinimalSamples samples, RatePlan plan, String replayFile,
      Map<String, Object> sparkOverrides, Duration drain, PrintStream progress) {
    this.sparkOverrides = sparkOverrides;
    this.cluster = cluster;
    this.client = cluster.client();
    this.samples = samples;
    this.plan = plan;
    this.replayFile = replayFile;
    this.drain = drain;
    this.progress = progress;
  }

  /** Sets the pipeline up, then runs every rate of the plan, handing each step over as soon as it is measured. */
  void run(Consumer<ClusterStep> measured) throws Exception {
    setUp();
    for (int rate : plan.rates()) {
      measured.accept(step(rate));
    }
    samples.setFeedRate(cluster, NAMESPACE, plan.rates().get(plan.rates().size() - 1), true);
  }

  private void setUp() throws Exception {
    long start = System.nanoTime();
    say("importing Pulse's images into the node's containerd: " + ImageArchives.SUITE);
    cluster.load(ImageArchives.forSuite());
    say("images imported in " + seconds(start) + " s");
    freshNamespace();
    kafka = KafkaOnCluster.deploy(client, NAMESPACE, POD_START);
    say("Kafka pod ready at " + kafka.bootstrap());
    if (Helm.installed(cluster, PulseOnClusterIT.SYSTEM)) {
      say("the operator's chart is installed already (a kept cluster): using it");
    } else {
      Helm.install(cluster, PulseOnClusterIT.SYSTEM);
    }
    Helm.awaitOperatorReady(client, PulseOnClusterIT.SYSTEM, POD_START);
    say("operator ready (helm release " + Helm.RELEASE + " in " + PulseOnClusterIT.SYSTEM + ")");

    Path dir = samples.writeWithReplay(Files.createTempDirectory("pulse-bench-samples"), replayFile,
        plan.rates().get(0), true, sparkOverrides);
    // Server-side: a client-side apply would copy the ~1 MB replay file into an annotation (at most 256 KiB).
    cluster.kubectl("apply", "--server-side", "-n", NAMESPACE, "-f", dir.toString())
        .orThrow(List.of("kubectl apply --server-side -f " + dir));
    say("applied config/samples/minimal/ (feed suspended, " + plan.postsNeeded() + " posts in its replay file; "
        + "spec.spark set to " + sparkOverrides + ")");
    spark = new SparkOnCluster(client, NAMESPACE, samples.pipeline());
    long sparkStart = System.nanoTime();
    try {
      await("the Spark driver and an executor it owns are running").atMost(POD_START)
          .pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(spark::runningWithExecutors);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IllegalStateException("the Spark pods did not run within " + POD_START + ":\n" + spark.diagnose()
          + PulseResources.describeConditions(client, "SentimentPipeline", NAMESPACE, samples.pipeline()), e);
    }
    say("Spark driver and executor running after " + seconds(sparkStart) + " s");
    await("the feed topic exists").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(Probe.of("feed topic", () -> FeedTopic.topics(kafka.bootstrap()).contains(feedTopic())));
    await("the dashboard answers").atMost(POD_START).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> {
          dashboard = DashboardLatency.serviceUrl(client, NAMESPACE);
          return DashboardLatency.buckets(dashboard) != null;
        });
    node = client.nodes().list().getItems().get(0).getMetadata().getName();
    warmUp();
  }

  private void freshNamespace() {
    if (client.namespaces().withName(NAMESPACE).get() != null) {
      say("deleting namespace " + NAMESPACE + " left by an earlier run");
      client.namespaces().withName(NAMESPACE).delete();
      await("namespace " + NAMESPACE + " gone").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
          .until(() -> client.namespaces().withName(NAMESPACE).get() == null);
    }
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
  }

  private void warmUp() throws Exception {
    long start = System.nanoTime();
    List<String> ids = IntStream.rangeClosed(1, WARM_UP_POSTS).mapToObj(i -> "bench:warm-up:" + i).toList();
    PipelineTopics.post(kafka.bootstrap(), feedTopic(), samples.feed(), ids, null);
    await("the warm-up posts are scored").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(Probe.of("warm-up posts", () -> scoredIds(Map.of()).containsAll(ids)));
    say("warm-up: " + WARM_UP_POSTS + " posts scored " + seconds(start) + " s after they were sent");
    Thread.sleep(5_000); // the dashboard pod reads them too: not in the first step's histogram
  }

  /** One rate: resume the feed at it, hold it for the step, suspend, wait for its posts, read every figure. */
  private ClusterStep step(int rate) throws Exception {
    TreeMap<Double, Double> dashboardBefore = dashboardBuckets();
    Map<Integer, Long> feedFrom = PipelineTopics.endOffsets(kafka.bootstrap(), feedTopic());
    Map<Integer, Long> scoredFrom = PipelineTopics.endOffsets(kafka.bootstrap(), scoredTopic());
    Map<Integer, Long> deadFrom = PipelineTopics.endOffsets(kafka.bootstrap(), deadLetterTopic());
    say("rate " + rate + " posts/s: resuming the feed (a new ingester pod)");
    long resumed = System.nanoTime();
    samples.setFeedRate(cluster, NAMESPACE, rate, false);
    Instant[] first = {null};
    await("the ingester's first post at " + rate + " posts/s").atMost(POD_START).pollInterval(Duration.ofSeconds(1))
        .until(Probe.of("first post", () -> {
          first[0] = sent(feedFrom).stream().map(ClusterStep.Sent::ingestedAt).min(Instant::compareTo).orElse(null);
          return first[0] != null;
        }));
    say("rate " + rate + ": first post " + seconds(resumed) + " s after the resume; measuring for "
        + plan.stepSeconds() + " s");
    Map<String, KubeletResources.PodSample> podsBefore = scrapeKubelet();
    long podsBeforeAt = System.currentTimeMillis();
    HostLoad.Ticks hostBefore = HostLoad.ticks();
    long until = first[0].toEpochMilli() + plan.stepSeconds() * 1000L;
    Thread.sleep(Math.max(0, until - System.currentTimeMillis()));
    Map<String, KubeletResources.PodSample> podsAfter = scrapeKubelet();
    HostLoad.Ticks hostAfter = HostLoad.ticks();
    String load = HostLoad.loadAverage();
    Map<String, String> roles = roles();
    samples.setFeedRate(cluster, NAMESPACE, rate, true);
    await("the ingester pod is gone (feed suspended)").atMost(POD_START).pollInterval(Duration.ofSeconds(1))
        .until(() -> client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", samples.feed())
            .withLabel("app.kubernetes.io/component", "ingester").list().getItems().isEmpty());
    List<ClusterStep.Sent> sent = sent(feedFrom);
    Set<String> ids = sent.stream().map(ClusterStep.Sent::id).collect(Collectors.toSet());
    say("rate " + rate + ": " + sent.size() + " posts sent; waiting up to " + drain.toSeconds()
        + " s for them to be scored");
    long drainStart = System.nanoTime();
    Set<String> dead = new HashSet<>();
    while (System.nanoTime() - drainStart < drain.toNanos()) {
      dead = PipelineTopics.deadLetters(kafka.bootstrap(), deadLetterTopic(), deadFrom).keySet();
      Set<String> done = new HashSet<>(scoredIds(scoredFrom));
      done.addAll(dead);
      if (done.containsAll(ids)) {
        break;
      }
      Thread.sleep(2_000);
    }
    Thread.sleep(3_000); // the dashboard pod consumes the scored topic too
    TreeMap<Double, Double> dashboardAfter = dashboardBuckets();
    ClusterStep step = ClusterStep.measure(rate, sent, PipelineTopics.scored(kafka.bootstrap(), scoredTopic(),
            scoredFrom), dead, dashboardBefore == null || dashboardAfter == null ? new TreeMap<>()
            : DashboardLatency.delta(dashboardBefore, dashboardAfter),
        podsBefore.isEmpty() || podsAfter.isEmpty() ? Map.of()
            : byRole(KubeletResources.usage(podsBefore, podsBeforeAt, podsAfter), roles),
        hostAfter.coresSince(hostBefore, Runtime.getRuntime().availableProcessors()), load);
    say(String.format(java.util.Locale.ROOT, "rate %d: %d posts, %d scored, %.1f scored posts/s, ingest → scored "
            + "p50/p95/p99 %s ms, → dashboard %s ms", rate, step.posts(), step.scored(), step.achieved(),
        step.latency().cell(), step.toDashboard().cell()));
    return step;
  }

  /** The dashboard pod's histogram, or null (said) when it does not answer: the step then has no dashboard figure. */
  private TreeMap<Double, Double> dashboardBuckets() {
    try {
      return DashboardLatency.buckets(dashboard);
    } catch (Exception e) {
      say("the dashboard's histogram could not be read (no dashboard figure for this step): " + e.getMessage());
      return null;
    }
  }

  /** The kubelet's resource metrics, or none (said, and the step goes on) when they cannot be read. */
  private Map<String, KubeletResources.PodSample> scrapeKubelet() {
    try {
      return KubeletResources.scrape(client, node);
    } catch (RuntimeException e) {
      say("the kubelet's resource metrics could not be read (the step goes on without them): " + e.getMessage());
      return Map.of();
    }
  }

  /** The step's posts as the feed topic holds them (the ingester stamped ingestedAt when it sent each). */
  private List<ClusterStep.Sent> sent(Map<Integer, Long> from) throws Exception {
    List<ClusterStep.Sent> out = new java.util.ArrayList<>();
    for (ConsumerRecord<String, String> r : PipelineTopics.records(kafka.bootstrap(), feedTopic(), from)) {
      JsonNode post = JSON.readTree(r.value());
      out.add(new ClusterStep.Sent(post.path("id").asText(), Instant.parse(post.path("ingestedAt").asText())));
    }
    return out;
  }

  private Set<String> scoredIds(Map<Integer, Long> from) throws Exception {
    return PipelineTopics.scored(kafka.bootstrap(), scoredTopic(), from).stream().map(PipelineTopics.Scored::id)
        .collect(Collectors.toSet());
  }

  /** namespace/pod → role, for the pods of the bench's namespace and the operator's. */
  private Map<String, String> roles() {
    Map<String, String> out = new HashMap<>();
    Stream.concat(client.pods().inNamespace(NAMESPACE).list().getItems().stream(),
            client.pods().inNamespace(PulseOnClusterIT.SYSTEM).list().getItems().stream())
        .forEach(p -> out.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), role(p)));
    return out;
  }

  static String role(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    if (PulseOnClusterIT.SYSTEM.equals(pod.getMetadata().getNamespace())) {
      return "operator";
    }
    if (labels.containsKey(SparkOnCluster.ROLE)) {
      return "spark " + labels.get(SparkOnCluster.ROLE);
    }
    if (KafkaOnCluster.NAME.equals(labels.get("app.kubernetes.io/name"))) {
      return "kafka";
    }
    return labels.getOrDefault("app.kubernetes.io/component", pod.getMetadata().getName());
  }

  /** Usage summed per role; pods of other namespaces (CoreDNS) left out. */
  static Map<String, ClusterStep.Usage> byRole(List<KubeletResources.PodUsage> pods, Map<String, String> roles) {
    Map<String, ClusterStep.Usage> out = new TreeMap<>();
    for (KubeletResources.PodUsage p : pods) {
      String role = roles.get(p.namespace() + "/" + p.pod());
      if (role != null) {
        out.merge(role, new ClusterStep.Usage(p.cores(), p.memoryBytes()), ClusterStep.Usage::plus);
      }
    }
    return out;
  }

  private String feedTopic() {
    return samples.feedTopic(NAMESPACE);
  }

  private String scoredTopic() {
    return PipelineTopics.topic(NAMESPACE, samples.pipeline(), "scored");
  }

  private String deadLetterTopic() {
    return PipelineTopics.topic(NAMESPACE, samples.pipeline(), "dead-letters");
  }

  private void say(String line) {
    progress.println("[cluster] " + line);
  }

  private static long seconds(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
  }
}
