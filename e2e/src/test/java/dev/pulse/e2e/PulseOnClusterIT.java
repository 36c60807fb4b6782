package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pulse as a user runs it: the chart installed with helm onto a real node running Pulse's own images, the minimal
 * samples applied, then the life of a pipeline (posts flowing, a config change, pods killed, deletion, uninstall).
 * The steps build on each other, so they run in order on one cluster; each waits for conditions with generous
 * deadlines (the CI machine is shared) and fails with what it last saw.
 */
@ExtendWith(NodeCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PulseOnClusterIT {

  static final String SYSTEM = "pulse-system";
  static final String APPS = "pulse-e2e";
  static final Duration POD_START = Duration.ofMinutes(5);

  private NodeCluster cluster;
  private KubernetesClient client;
  private KafkaOnCluster kafka;
  private MinimalSamples samples;
  private SparkOnCluster spark;
  /** The mid-stream feed's posts, which the pipeline reads too from step 5 on. */
  private Set<String> longFeedPosts = Set.of();
  private static final String LONG_FEED = "e2e-midstream";

  @BeforeAll
  void setUp() {
    cluster = NodeCluster.get();
    client = cluster.client();
    long start = System.nanoTime();
    cluster.load(ImageArchives.forSuite());
    Timing.record("import Pulse's images into containerd", start);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(APPS).endMetadata().build())
        .serverSideApply();
    start = System.nanoTime();
    kafka = KafkaOnCluster.deploy(client, APPS, POD_START);
    Timing.record("Kafka broker pod Ready", start);
    samples = MinimalSamples.load();
    spark = new SparkOnCluster(client, APPS, samples.pipeline());
  }

  @AfterAll
  void figures() {
    System.out.println(Timing.report());
  }

  @Test
  @Order(1)
  void helmInstallRunsTheOperatorAndOneReplicaLeads() {
    long start = System.nanoTime();
    Helm.install(cluster, SYSTEM);
    Helm.awaitOperatorReady(client, SYSTEM, POD_START);
    Timing.record("helm install → operator Ready", start);
    await("a replica holds the leader Lease").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> leader().isPresent());
    Set<String> operatorPods = operatorPods().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    assertThat(operatorPods).contains(leader().orElseThrow());
    assertThat(operatorLogs()).as("the operator says at start-up which optional APIs it found")
        .containsIgnoringCase("strimzi");
  }

  @Test
  @Order(2)
  void minimalSamplesBecomeTopicsAnIngesterAndADashboard() throws Exception {
    long start = System.nanoTime();
    cluster.kubectl("apply", "-n", APPS, "-f", samples.dir().toString()).orThrow(List.of("kubectl apply"));
    await("SourceFeed " + samples.feed() + " Ready").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .failFast(() -> false)
        .until(() -> PulseResources.condition(client, "SourceFeed", APPS, samples.feed(), "Ready")
            .filter("True"::equals).isPresent());
    Timing.record("apply minimal samples → SourceFeed Ready", start);
    assertThat(FeedTopic.topics(kafka.bootstrap())).as("topics made through the Kafka Admin API")
        .contains(samples.feedTopic());

    await("every replayed post is in the feed topic").atMost(POD_START).pollInterval(Duration.ofSeconds(3))
        .until(Probe.of("replayed posts", () -> FeedTopic.postIds(kafka.bootstrap(), samples.feedTopic()).keySet()
            .containsAll(samples.replayIds())));
    Timing.record("apply minimal samples → every replayed post in Kafka", start);

    await("SentimentPipeline " + samples.pipeline() + " reports on every part").atMost(POD_START)
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> PulseResources.condition(client, "SentimentPipeline", APPS, samples.pipeline(), "Dashboard")
            .filter("True"::equals).isPresent());
    Timing.record("apply minimal samples → pipeline's dashboard Ready", start);

    // No spark-operator here: the operator runs the driver itself (launcher Native), and Spark creates its executor.
    awaitSpark("the Spark driver and an executor it owns are running", start);
    Timing.record("apply minimal samples → Spark driver + executor pods running", start);
    await("SentimentPipeline " + samples.pipeline() + " Ready").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> PulseResources.condition(client, "SentimentPipeline", APPS, samples.pipeline(), "Ready")
            .filter("True"::equals).isPresent());
    Timing.record("apply minimal samples → pipeline Ready", start);
  }

  /** Waits for one running driver with a running executor it owns; on failure says what the Spark pods did. */
  private void awaitSpark(String what, long since) {
    try {
      await(what).atMost(POD_START).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
          .until(spark::runningWithExecutors);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(what + " within " + POD_START + ":\n" + spark.diagnose()
          + PulseResources.describeConditions(client, "SentimentPipeline", APPS, samples.pipeline()), e);
    }
  }

  @Test
  @Order(3)
  void kubectlTellsTheTruth() {
    String get = cluster.kubectl("get", "pulse", "-n", APPS).output();
    assertThat(get).contains(samples.feed()).contains(samples.pipeline());
    String describe = cluster.kubectl("describe", "sentimentpipeline", "-n", APPS, samples.pipeline()).output();
    assertThat(describe).contains("Conditions").contains("Events")
        .as("the operator's Event for the topics it made through the Admin API").contains("TopicCreated");
    // The Spark condition is read from the pods themselves: it names the driver pod and the executor.
    Pod driver = spark.drivers().get(0);
    await("the Spark condition names the running driver").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> PulseResources.get(client, "SentimentPipeline", APPS, samples.pipeline())
            .flatMap(r -> PulseResources.conditionOf(r, "Spark"))
            .filter(c -> "True".equals(c.get("status")) && String.valueOf(c.get("message"))
                .contains(driver.getMetadata().getName())).isPresent());
    assertThat(cluster.kubectl("describe", "sentimentpipeline", "-n", APPS, samples.pipeline()).output())
        .contains("Spark").contains(driver.getMetadata().getName()).contains("executor pod(s) running");
    assertThat(cluster.kubectl("get", "sentimentpipeline", "-n", APPS, samples.pipeline(), "-o",
        "jsonpath={.status.sparkApplicationState}").output()).isEqualTo("RUNNING");
    // Spark's scheduler backend made the executors, owned by the driver pod (they go when it goes), from the
    // operator's template: the restricted security context and Pulse's labels.
    assertThat(spark.executors()).isNotEmpty().allSatisfy(e -> {
      assertThat(SparkOnCluster.ownedBy(e, driver.getMetadata().getName())).as(e.getMetadata().getName()).isTrue();
      assertThat(e.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(e.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "pulse");
    });
  }

  @Test
  @Order(4)
  void everyReplayedPostIsScoredExactlyOnceOrDeadLettered() throws Exception {
    Set<String> replayed = samples.replayIds();
    String scoredTopic = PipelineTopics.topic(APPS, samples.pipeline(), "scored");
    String deadTopic = PipelineTopics.topic(APPS, samples.pipeline(), "dead-letters");
    long start = System.nanoTime();
    await("every replayed post is scored or dead-lettered").atMost(POD_START).pollInterval(Duration.ofSeconds(3))
        .until(Probe.of("scored posts", () -> {
          Set<String> seen = new java.util.HashSet<>();
          PipelineTopics.scored(kafka.bootstrap(), scoredTopic).forEach(p -> seen.add(p.id()));
          seen.addAll(PipelineTopics.deadLetters(kafka.bootstrap(), deadTopic).keySet());
          return seen.containsAll(replayed);
        }));
    Timing.record("Spark running → every replayed post scored", start);
    Map<String, Long> scored = PipelineTopics.scored(kafka.bootstrap(), scoredTopic).stream()
        .collect(Collectors.groupingBy(PipelineTopics.Scored::id, Collectors.counting()));
    Map<String, String> dead = PipelineTopics.deadLetters(kafka.bootstrap(), deadTopic);
    System.out.printf("[e2e figure] replay file %d posts: scored topic %d records (%d distinct), dead-letter topic "
        + "%d%s%n", replayed.size(), scored.values().stream().mapToLong(Long::longValue).sum(), scored.size(),
        dead.size(), dead.isEmpty() ? "" : " " + dead);
    assertThat(scored.keySet()).as("nothing but the replayed posts is scored").isSubsetOf(replayed);
    assertThat(scored).as("each post scored exactly once").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    assertThat(dead.keySet()).as("a post is scored or dead-lettered, not both").doesNotContainAnyElementsOf(scored.keySet());
    Set<String> both = new java.util.HashSet<>(scored.keySet());
    both.addAll(dead.keySet());
    assertThat(both).as("scored ∪ dead-lettered = the replay file").containsExactlyInAnyOrderElementsOf(replayed);
    // ... and the dashboard pod holds them: its REST API serves the scored posts.
    String body = http().send(HttpRequest.newBuilder(URI.create(dashboardUrl() + "/api/pipelines/"
        + samples.pipeline() + "/posts?size=100")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("total").asInt())
        .as("posts the dashboard holds: " + body.substring(0, Math.min(300, body.length())))
        .isGreaterThanOrEqualTo(scored.size());
  }

  @Test
  @Order(5)
  void dashboardAnswersThroughItsService() throws Exception {
    var service = client.services().inNamespace(APPS).withLabel("app.kubernetes.io/component", "dashboard").list()
        .getItems();
    assertThat(service).as("the pipeline's dashboard Service").hasSize(1);
    String ip = service.get(0).getSpec().getClusterIP();
    int port = service.get(0).getSpec().getPorts().get(0).getPort();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // kube-proxy's iptables rules route the host's own traffic to a ClusterIP too: this goes through the Service.
    await("dashboard answers on its ClusterIP").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + "/"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
  }

  /**
   * With the Prometheus operator's CRDs installed (no Prometheus runs here), the ServiceMonitors and the PodMonitor
   * the operator writes select the pipeline's Services, the feed's metrics Service and the running Spark pods by
   * their labels, on ports they have (issue 20).
   */
  @Test
  @Order(6)
  void theMonitorsTheOperatorWritesSelectServicesAndPodsByLabelAndPort() {
    long start = System.nanoTime();
    // The pipeline's ServiceMonitor and its feed's, plus the Spark pods' PodMonitor.
    MonitorSelection.installCrdsAndAwaitMonitors(client, APPS, 2, POD_START);
    Timing.record("monitoring CRDs installed → the operator's monitors written", start);
    System.out.printf("[e2e figure] monitors: %s%n", MonitorSelection.summary(client, APPS));
    assertThat(MonitorSelection.problems(client, APPS)).as(MonitorSelection.summary(client, APPS)).isEmpty();
  }

  @Test
  @Order(7)
  void killingTheLeaderTheIngesterAnExecutorAndTheSparkDriverMidStreamLosesNoPost() throws Exception {
    String topic = "pulse.feed." + APPS + "." + LONG_FEED;
    String scoredTopic = PipelineTopics.topic(APPS, samples.pipeline(), "scored");
    String deadTopic = PipelineTopics.topic(APPS, samples.pipeline(), "dead-letters");
    // The pipeline reads the long feed too: named first (missing, so nothing changes), then the feed is created
    // suspended (its topic exists, its ingester waits), which rolls the driver onto a conf with the new topic.
    String driverBefore = spark.drivers().get(0).getMetadata().getName();
    cluster.kubectl("patch", "sentimentpipeline", samples.pipeline(), "-n", APPS, "--type=merge", "-p",
        "{\"spec\":{\"feeds\":{\"names\":[\"" + samples.feed() + "\",\"" + LONG_FEED + "\"]}}}")
        .orThrow(List.of("kubectl patch sentimentpipeline"));
    Set<String> posted = samples.createLongFeed(client, APPS, LONG_FEED, 800, 10, true);
    long roll = System.nanoTime();
    await("the driver rolls onto the conf that reads the long feed").atMost(POD_START)
        .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> !spark.drivers().get(0).getMetadata().getName().equals(driverBefore));
    awaitSpark("the new driver and its executor", roll);
    Timing.record("conf change → new Spark driver + executor running", roll);

    cluster.kubectl("patch", "sourcefeed", LONG_FEED, "-n", APPS, "--type=merge", "-p", "{\"spec\":{\"suspend\":false}}")
        .orThrow(List.of("kubectl patch sourcefeed"));
    await("the long replay is under way").atMost(POD_START).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> FeedTopic.postIds(kafka.bootstrap(), topic).size() >= 40);
    String leader = leader().orElseThrow();
    Pod ingester = podOf(LONG_FEED);
    int before = FeedTopic.postIds(kafka.bootstrap(), topic).size();
    client.pods().inNamespace(SYSTEM).withName(leader).withGracePeriod(0).delete();
    client.pods().inNamespace(APPS).withName(ingester.getMetadata().getName()).withGracePeriod(0).delete();
    System.out.printf("[e2e] killed leader %s and ingester %s with %d of %d posts in Kafka%n", leader,
        ingester.getMetadata().getName(), before, posted.size());
    assertThat(before).as("the kill must land mid-stream").isLessThan(posted.size());

    // Then one executor pod, once the stream is being scored: Spark's scheduler backend replaces it, the driver stays,
    // and the tasks it ran are run again. No post may be lost (every post of the replay is scored, below: a batch the
    // executor's death lost would stay lost, as its offsets are in the checkpoint); the aggregates must still count
    // each post once (checked with the whole run's posts in the suspend step).
    await("the long replay is being scored").atMost(POD_START).pollInterval(Duration.ofSeconds(1))
        .until(Probe.of("scored", () -> scoredOf(scoredTopic, posted) >= 30));
    Pod driverAtExecutorKill = spark.drivers().get(0);
    List<Pod> executorsAtKill = spark.executors();
    assertThat(executorsAtKill).as("an executor to kill").isNotEmpty();
    String killedExecutor = executorsAtKill.get(0).getMetadata().getName();
    int inFeedAtExecutorKill = FeedTopic.postIds(kafka.bootstrap(), topic).size();
    long scoredAtExecutorKill = scoredOf(scoredTopic, posted);
    long executorKill = System.nanoTime();
    client.pods().inNamespace(APPS).withName(killedExecutor).withGracePeriod(0).delete();
    System.out.printf("[e2e] killed Spark executor %s with %d of %d posts scored, %d in the feed topic%n",
        killedExecutor, scoredAtExecutorKill, posted.size(), inFeedAtExecutorKill);
    assertThat(scoredAtExecutorKill).as("the executor kill must land mid-stream").isLessThan(posted.size());
    await("Spark replaces the killed executor").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions().until(() -> spark.executors().stream().anyMatch(e -> SparkOnCluster.running(e)
            && !e.getMetadata().getName().equals(killedExecutor)
            && SparkOnCluster.ownedBy(e, driverAtExecutorKill.getMetadata().getName())));
    Timing.record("Spark executor pod killed → a new executor running", executorKill);
    assertThat(spark.drivers()).as("the driver outlives an executor").singleElement()
        .satisfies(d -> assertThat(d.getMetadata().getUid()).isEqualTo(driverAtExecutorKill.getMetadata().getUid()));

    // Then the Spark driver, once it has scored a good part of the stream.
    await("a good part of the long replay is scored").atMost(POD_START).pollInterval(Duration.ofSeconds(1))
        .until(Probe.of("scored", () -> scoredOf(scoredTopic, posted) >= 150));
    long scoredBeforeKill = scoredOf(scoredTopic, posted);
    Pod driver = spark.drivers().get(0);
    List<String> executorsBefore = spark.executors().stream().map(e -> e.getMetadata().getName()).toList();
    long kill = System.nanoTime();
    client.pods().inNamespace(APPS).withName(driver.getMetadata().getName()).withGracePeriod(0).delete();
    System.out.printf("[e2e] killed Spark driver %s (executors %s) with %d of %d posts scored%n",
        driver.getMetadata().getName(), executorsBefore, scoredBeforeKill, posted.size());
    assertThat(scoredBeforeKill).as("the driver kill must land mid-stream").isLessThan(posted.size());

    await("a new leader").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> leader().filter(l -> !l.equals(leader)).isPresent());
    await("the driver comes back by itself").atMost(POD_START).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> !spark.drivers().get(0).getMetadata().getName().equals(driver.getMetadata().getName()));
    awaitSpark("the replacement driver and a new executor", kill);
    assertThat(spark.executors()).as("the killed driver's executors went with it (owned by its pod)")
        .noneMatch(e -> executorsBefore.contains(e.getMetadata().getName()));
    Timing.record("Spark driver pod killed → new driver + executor running", kill);

    await("every replayed post is in the feed topic after the kills").atMost(POD_START)
        .pollInterval(Duration.ofSeconds(3))
        .until(() -> FeedTopic.postIds(kafka.bootstrap(), topic).keySet().containsAll(posted));
    Map<String, Integer> ids = FeedTopic.postIds(kafka.bootstrap(), topic);
    long repeats = ids.values().stream().mapToInt(i -> i - 1).sum();
    System.out.printf("[e2e figure] feed topic after the kills: %d distinct posts of %d replayed, %d repeats%n",
        ids.size(), posted.size(), repeats);
    assertThat(ids.keySet()).as("nothing but the replayed posts").containsExactlyInAnyOrderElementsOf(posted);
    // The ingester commits its cursor in the transaction of each batch: its new pod carries on where the killed one
    // committed, and a batch in flight at the kill is aborted (invisible to read_committed readers) and re-sent.
    assertThat(repeats).as("posts sent twice after the ingester pod was replaced").isZero();

    await("every post of the long replay is scored or dead-lettered after the driver kill").atMost(POD_START)
        .pollInterval(Duration.ofSeconds(3)).until(Probe.of("scored after the kill", () -> {
          Set<String> seen = new java.util.HashSet<>();
          PipelineTopics.scored(kafka.bootstrap(), scoredTopic).forEach(p -> seen.add(p.id()));
          seen.addAll(PipelineTopics.deadLetters(kafka.bootstrap(), deadTopic).keySet());
          return seen.containsAll(posted);
        }));
    Timing.record("Spark driver pod killed → every post of the replay scored", kill);
    Map<String, Long> scored = PipelineTopics.scored(kafka.bootstrap(), scoredTopic).stream()
        .filter(p -> posted.contains(p.id()))
        .collect(Collectors.groupingBy(PipelineTopics.Scored::id, Collectors.counting()));
    // The Kafka sink is at least once: a micro-batch the killed driver had not committed runs again. Repeats are
    // counted here; the aggregates (next step) must still count each post once.
    System.out.printf("[e2e figure] scored topic after the driver kill: %d of %d posts, %d written twice (a batch "
        + "re-run from the checkpoint)%n", scored.size(), posted.size(),
        scored.values().stream().filter(n -> n > 1).count());
    longFeedPosts = posted;

    assertThat(client.apps().deployments().inNamespace(APPS).withLabel("app.kubernetes.io/instance", LONG_FEED)
        .list().getItems()).as("one ingester Deployment, not two").hasSize(1);
    assertThat(client.apps().deployments().inNamespace(APPS).withLabel("app.kubernetes.io/component", "dashboard")
        .list().getItems()).as("one dashboard Deployment").hasSize(1);
    assertThat(spark.drivers()).as("one driver pod, never two").hasSize(1);
  }

  /** Distinct posts of {@code posts} in the scored topic. */
  private long scoredOf(String scoredTopic, Set<String> posts) throws Exception {
    return PipelineTopics.scored(kafka.bootstrap(), scoredTopic).stream().map(PipelineTopics.Scored::id)
        .filter(posts::contains).distinct().count();
  }

  private void reportLatency(List<PipelineTopics.Scored> scored, java.util.TreeMap<Double, Double> dashboard) {
    List<Long> millis = scored.stream().map(p -> p.latency().toMillis()).sorted().toList();
    System.out.printf("[e2e figure] ingest → scored topic latency on the cluster, %d posts at 10 posts/s (Spark "
        + "micro-batches, 1 s trigger): p50 %d ms, "
        + "p95 %d ms, p99 %d ms, max %d ms%n", millis.size(), PipelineTopics.percentile(millis, 0.50),
        PipelineTopics.percentile(millis, 0.95), PipelineTopics.percentile(millis, 0.99), millis.get(millis.size() - 1));
    System.out.printf("[e2e figure] ingest → dashboard latency on the cluster (the dashboard pod's histogram, "
        + "interpolated in its buckets), %d posts: p50 %d ms, p95 %d ms, p99 %d ms%n", DashboardLatency.count(dashboard),
        DashboardLatency.quantileMillis(dashboard, 0.50), DashboardLatency.quantileMillis(dashboard, 0.95),
        DashboardLatency.quantileMillis(dashboard, 0.99));
  }

  @Test
  @Order(8)
  void suspendScalesToZeroAndResumeContinuesFromTheCheckpointCountingEachPostOnce() throws Exception {
    String scoredTopic = PipelineTopics.topic(APPS, samples.pipeline(), "scored");
    String feedTopic = samples.feedTopic();
    // Suspended between two batches, the job must read nothing again when it resumes. (Stopped after a batch's
    // output but before its commit, it would rightly write that batch again: the Kafka sink is at least once.)
    java.nio.file.Path checkpoint = Checkpoints.queryDir(client, APPS, samples.pipeline() + "-checkpoints",
        samples.pipeline(), "scored-posts");
    await("the scored-posts query is between batches (" + checkpoint + ")").atMost(POD_START)
        .pollInterval(Duration.ofSeconds(1)).until(() -> Checkpoints.betweenBatches(checkpoint));
    long start = System.nanoTime();
    cluster.kubectl("patch", "sentimentpipeline", samples.pipeline(), "-n", APPS, "--type=merge", "-p",
        "{\"spec\":{\"suspend\":true}}").orThrow(List.of("kubectl patch sentimentpipeline"));
    await("no Spark or dashboard pod is left").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> spark.all().isEmpty() && client.pods().inNamespace(APPS)
            .withLabel("app.kubernetes.io/component", "dashboard").list().getItems().isEmpty());
    Timing.record("suspend: true → Spark and dashboard pods gone", start);
    assertThat(PulseResources.condition(client, "SentimentPipeline", APPS, samples.pipeline(), "Spark"))
        .contains("False");

    // Posts arrive while the pipeline sleeps, and a last one stamped an hour ahead: its event time closes every
    // aggregate window before it, so the windows' counts can be checked whole.
    List<Long> scoredBefore = List.of((long) PipelineTopics.scored(kafka.bootstrap(), scoredTopic).size());
    List<String> whileAsleep = java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "e2e:asleep:" + i).toList();
    PipelineTopics.post(kafka.bootstrap(), feedTopic, samples.feed(), whileAsleep, null);
    PipelineTopics.post(kafka.bootstrap(), feedTopic, samples.feed(), List.of("e2e:watermark"),
        java.time.Instant.now().plus(Duration.ofHours(1)));

    long resume = System.nanoTime();
    cluster.kubectl("patch", "sentimentpipeline", samples.pipeline(), "-n", APPS, "--type=merge", "-p",
        "{\"spec\":{\"suspend\":false}}").orThrow(List.of("kubectl patch sentimentpipeline"));
    awaitSpark("the driver and an executor after resume", resume);
    Timing.record("suspend: false → Spark driver + executor running", resume);
    await("the posts sent while suspended are scored").atMost(POD_START).pollInterval(Duration.ofSeconds(3))
        .until(Probe.of("scored after resume", () -> PipelineTopics.scored(kafka.bootstrap(), scoredTopic).stream()
            .map(PipelineTopics.Scored::id).collect(Collectors.toSet()).containsAll(whileAsleep)));
    Timing.record("suspend: false → the posts sent while suspended scored", resume);
    List<PipelineTopics.Scored> after = PipelineTopics.scored(kafka.bootstrap(), scoredTopic);
    // From the checkpoint: only what came while suspended is new; nothing read before the suspension is read again.
    assertThat(after.size() - scoredBefore.get(0)).as("records written after resume (the 21 new posts only)")
        .isEqualTo(whileAsleep.size() + 1);

    // Aggregates: every scored post counted once in the roll-up windows, whatever the driver kill made the sink
    // write twice (the aggregates query drops repeats by post id).
    Set<String> expected = new java.util.HashSet<>(samples.replayIds());
    expected.addAll(longFeedPosts);
    expected.addAll(whileAsleep);
    expected.removeAll(PipelineTopics.deadLetters(kafka.bootstrap(),
        PipelineTopics.topic(APPS, samples.pipeline(), "dead-letters")).keySet());
    String aggregatesTopic = PipelineTopics.topic(APPS, samples.pipeline(), "aggregates");
    long[] counted = {0};
    await("the roll-up windows count every scored post").atMost(POD_START).pollInterval(Duration.ofSeconds(3))
        .until(Probe.of("aggregates", () -> {
          counted[0] = PipelineTopics.rollUpWindows(kafka.bootstrap(), aggregatesTopic).values().stream()
              .mapToLong(PipelineTopics.Window::count).sum();
          return counted[0] >= expected.size();
        }));
    Map<java.time.Instant, PipelineTopics.Window> windows = PipelineTopics.rollUpWindows(kafka.bootstrap(), aggregatesTopic);
    System.out.printf("[e2e figure] aggregates: %d roll-up windows count %d posts; %d distinct posts scored%n",
        windows.size(), counted[0], expected.size());
    assertThat(counted[0]).as("posts counted in the aggregates, each once").isEqualTo(expected.size());

    // The replay's crisis episode (twelve posts naming the sample's crisis keywords, replayed within ~1.2 s, so in
    // one window of ingestion time) is a CRISIS alert on the dashboard once that window is closed (the post stamped
    // an hour ahead closed them all): aggregates-and-alerts query → alerts topic → dashboard pod → its REST API.
    String alerts = dashboardUrl() + "/api/pipelines/" + samples.pipeline() + "/alerts?limit=200";
    String[] seen = {""};
    await("the crisis episode's CRISIS alert on the dashboard").atMost(POD_START).pollInterval(Duration.ofSeconds(3))
        .ignoreExceptions().until(Probe.of("dashboard alerts", () -> {
          seen[0] = http().send(HttpRequest.newBuilder(URI.create(alerts)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString()).body();
          for (var alert : new com.fasterxml.jackson.databind.ObjectMapper().readTree(seen[0])) {
            if ("CRISIS".equals(alert.path("kind").asText())) {
              for (var id : alert.path("evidencePostIds")) {
                if (id.asText().startsWith(CRISIS_POSTS)) {
                  return true;
                }
              }
            }
          }
          return false;
        }));
    System.out.printf("[e2e figure] dashboard alerts: %s%n", seen[0].substring(0, Math.min(400, seen[0].length())));
  }

  /** Ids of the minimal replay's crisis episode (config/samples/minimal/sourcefeed-replay.yaml). */
  private static final String CRISIS_POSTS = "minimal:crisis:";

  @Test
  @Order(9)
  void latencyFromIngestToDashboardAtTenPostsASecond() throws Exception {
    // Steady state: the job caught up, nothing killed. Posts enter the feed topic as the ingester writes them
    // (ingestedAt stamped when sent), 10 a second for 15 s; their latency to the scored topic is read from the
    // records, and to the dashboard pod from its own histogram (the posts that reached it meanwhile).
    String scoredTopic = PipelineTopics.topic(APPS, samples.pipeline(), "scored");
    awaitSpark("the driver and an executor", System.nanoTime());
    String dashboard = dashboardUrl();
    await("the dashboard answers").atMost(POD_START).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> DashboardLatency.buckets(dashboard) != null);
    // The resume of the step before restarts the queries: one post scored first, so the figure below is the steady
    // state, and the time that post took (the recovery) is reported on its own.
    long warmUp = System.nanoTime();
    PipelineTopics.post(kafka.bootstrap(), samples.feedTopic(), samples.feed(), List.of("e2e:latency:warm-up"), null);
    await("a first post is scored").atMost(POD_START).pollInterval(Duration.ofSeconds(1))
        .until(Probe.of("warm-up post", () -> PipelineTopics.scored(kafka.bootstrap(), scoredTopic).stream()
            .anyMatch(p -> p.id().equals("e2e:latency:warm-up"))));
    System.out.printf("[e2e figure] first post after the resume scored in %d s%n",
        Duration.ofNanos(System.nanoTime() - warmUp).toSeconds());
    java.util.TreeMap<Double, Double> before = DashboardLatency.buckets(dashboard);
    long posting = System.nanoTime();
    List<String> ids = java.util.stream.IntStream.rangeClosed(1, 150).mapToObj(i -> "e2e:latency:" + i).toList();
    PipelineTopics.post(kafka.bootstrap(), samples.feedTopic(), samples.feed(), ids, null, Duration.ofMillis(100));
    await("the latency posts are scored").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(Probe.of("latency posts", () -> PipelineTopics.scored(kafka.bootstrap(), scoredTopic).stream()
            .map(PipelineTopics.Scored::id).collect(Collectors.toSet()).containsAll(ids)));
    Thread.sleep(3_000); // the dashboard consumes the scored topic too
    java.util.TreeMap<Double, Double> after = DashboardLatency.buckets(dashboard);
    Set<String> wanted = Set.copyOf(ids);
    reportLatency(PipelineTopics.scored(kafka.bootstrap(), scoredTopic).stream().filter(p -> wanted.contains(p.id()))
        .toList(), DashboardLatency.delta(before, after));
    reportBatches(spark.batches((int) Duration.ofNanos(System.nanoTime() - posting).toSeconds() + 1));
  }

  /** What the latency figure is made of: the driver's micro-batches while the latency posts flowed, per query. */
  private static void reportBatches(List<SparkOnCluster.Batch> batches) {
    for (String query : batches.stream().map(SparkOnCluster.Batch::query).distinct().sorted().toList()) {
      List<SparkOnCluster.Batch> mine = batches.stream().filter(b -> b.query().equals(query)).toList();
      List<Long> millis = mine.stream().map(SparkOnCluster.Batch::millis).sorted().toList();
      System.out.printf("[e2e figure] driver's %s batches while the latency posts flowed: %d logged (rows read or "
          + ">= 2 s), %d rows, at most %d rows a batch; duration p50 %d ms, max %d ms%n", query, mine.size(),
          mine.stream().mapToLong(SparkOnCluster.Batch::rows).sum(),
          mine.stream().mapToLong(SparkOnCluster.Batch::rows).max().orElse(0),
          PipelineTopics.percentile(millis, 0.50), millis.isEmpty() ? 0 : millis.get(millis.size() - 1));
      mine.stream().sorted(java.util.Comparator.comparingLong(SparkOnCluster.Batch::millis).reversed()).limit(2)
          .forEach(b -> System.out.println("[e2e figure]   slowest: " + b.line()));
      mine.stream().skip(Math.max(0, mine.size() - 1))
          .forEach(b -> System.out.println("[e2e figure]   last: " + b.line()));
    }
    if (batches.isEmpty()) {
      System.out.println("[e2e figure] the driver logged no batch progress while the latency posts flowed");
    }
  }

  @Test
  @Order(10)
  void aConfigChangeRollsTheIngesterAndNothingElse() {
    Pod ingester = awaitRunning(this::ingesterPod);
    Set<String> others = podsNotOf(samples.feed());
    samples.changeFeedRate(cluster, APPS);
    await("the ingester pod is replaced").atMost(POD_START).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> !ingesterPod().getMetadata().getUid().equals(ingester.getMetadata().getUid())
            && "Running".equals(ingesterPod().getStatus().getPhase()));
    assertThat(podsNotOf(samples.feed())).as("the dashboard, Kafka and operator pods were left alone")
        .containsExactlyInAnyOrderElementsOf(others);
  }

  @Test
  @Order(11)
  void deletingThePipelineRemovesWhatItOwned() {
    cluster.kubectl("delete", "sentimentpipeline", "-n", APPS, samples.pipeline(), "--wait=true", "--timeout=5m")
        .orThrow(List.of("kubectl delete sentimentpipeline"));
    await("the pipeline's objects are garbage-collected").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> client.apps().deployments().inNamespace(APPS)
            .withLabel("app.kubernetes.io/instance", samples.pipeline()).list().getItems().isEmpty()
            && client.services().inNamespace(APPS).withLabel("app.kubernetes.io/instance", samples.pipeline())
                .list().getItems().isEmpty());
    assertThat(client.apps().deployments().inNamespace(APPS).withLabel("app.kubernetes.io/instance", samples.feed())
        .list().getItems()).as("the feed's ingester is not the pipeline's to delete").hasSize(1);
    client.genericKubernetesResources(PulseResources.API_VERSION, "SourceFeed").inNamespace(APPS).withName(LONG_FEED)
        .delete();
    await("the driver and executor pods went with the pipeline").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> spark.all().isEmpty());
    await("the mid-stream feed's pods are gone").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> client.pods().inNamespace(APPS).withLabel("app.kubernetes.io/instance", LONG_FEED).list()
            .getItems().isEmpty());
  }

  @Test
  @Order(12)
  void helmUninstallLeavesNoPulseObjectBehind() {
    // The mid-stream feed too, should an earlier step have failed before deleting it (no operator: no cleanup).
    cluster.kubectl("delete", "sourcefeed", LONG_FEED, "-n", APPS, "--wait=true", "--timeout=5m", "--ignore-not-found")
        .orThrow(List.of("kubectl delete sourcefeed"));
    cluster.kubectl("delete", "-n", APPS, "-f", samples.dir().toString(), "--wait=true", "--timeout=5m",
        "--ignore-not-found").orThrow(List.of("kubectl delete samples"));
    Helm.uninstall(cluster, SYSTEM);
    await("no Pulse object in any namespace").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> leftovers().isEmpty());
  }

  private List<String> leftovers() {
    String selector = "app.kubernetes.io/part-of=pulse";
    var out = new java.util.ArrayList<String>();
    client.apps().deployments().inAnyNamespace().withLabel(selector).list().getItems()
        .forEach(d -> out.add("Deployment " + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName()));
    client.services().inAnyNamespace().withLabel(selector).list().getItems()
        .forEach(d -> out.add("Service " + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName()));
    client.configMaps().inAnyNamespace().withLabel(selector).list().getItems()
        .forEach(d -> out.add("ConfigMap " + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName()));
    client.pods().inAnyNamespace().withLabel(selector).list().getItems()
        .forEach(d -> out.add("Pod " + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName()));
    client.rbac().clusterRoles().withLabel(selector).list().getItems()
        .forEach(d -> out.add("ClusterRole " + d.getMetadata().getName()));
    client.rbac().clusterRoleBindings().withLabel(selector).list().getItems()
        .forEach(d -> out.add("ClusterRoleBinding " + d.getMetadata().getName()));
    if (!out.isEmpty()) {
      System.out.println("still there: " + out);
    }
    return out;
  }

  private String dashboardUrl() {
    return DashboardLatency.serviceUrl(client, APPS);
  }

  private static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  private java.util.Optional<String> leader() {
    return client.leases().inNamespace(SYSTEM).list().getItems().stream()
        .map(Lease::getSpec).filter(s -> s != null && s.getHolderIdentity() != null && !s.getHolderIdentity().isBlank())
        .map(s -> s.getHolderIdentity())
        .flatMap(h -> operatorPods().stream().map(p -> p.getMetadata().getName()).filter(h::startsWith))
        .findFirst();
  }

  private List<Pod> operatorPods() {
    return client.pods().inNamespace(SYSTEM).withLabel("app.kubernetes.io/name", "pulse-operator").list().getItems()
        .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private String operatorLogs() {
    return operatorPods().stream().map(p -> client.pods().inNamespace(SYSTEM).withName(p.getMetadata().getName())
        .getLog()).collect(Collectors.joining("\n"));
  }

  private Pod ingesterPod() {
    return podOf(samples.feed());
  }

  private Pod podOf(String feed) {
    List<Pod> pods = client.pods().inNamespace(APPS).withLabel("app.kubernetes.io/instance", feed).list()
        .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    assertThat(pods).as("the feed's ingester pod").hasSize(1);
    return pods.get(0);
  }

  /** Every pod of the suite's two namespaces but the feed's ingester pods, as name/uid. */
  private Set<String> podsNotOf(String feed) {
    return java.util.stream.Stream.concat(client.pods().inNamespace(APPS).list().getItems().stream(),
            client.pods().inNamespace(SYSTEM).list().getItems().stream())
        .filter(p -> !feed.equals(p.getMetadata().getLabels().get("app.kubernetes.io/instance")))
        .map(p -> p.getMetadata().getName() + "/" + p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  private static Pod awaitRunning(java.util.function.Supplier<Pod> pod) {
    await("pod running").atMost(POD_START).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> "Running".equals(pod.get().getStatus().getPhase()));
    return pod.get();
  }

  static Path repo(String path) {
    Path p = dev.pulse.testing.K8sBinaries.repoRoot().resolve(path);
    if (!Files.exists(p)) {
      throw new IllegalStateException(p + " is missing");
    }
    return p;
  }
}
