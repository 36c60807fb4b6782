package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
    await("operator Deployment available").atMost(POD_START).pollInterval(Duration.ofSeconds(2)).until(() -> {
      Deployment d = client.apps().deployments().inNamespace(SYSTEM).withName(Helm.OPERATOR_DEPLOYMENT).get();
      return d != null && d.getStatus() != null && d.getStatus().getReadyReplicas() != null
          && d.getStatus().getReadyReplicas() >= 1;
    });
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
  }

  @Test
  @Order(3)
  void kubectlTellsTheTruth() {
    String get = cluster.kubectl("get", "pulse", "-n", APPS).output();
    assertThat(get).contains(samples.feed()).contains(samples.pipeline());
    String describe = cluster.kubectl("describe", "sentimentpipeline", "-n", APPS, samples.pipeline()).output();
    assertThat(describe).contains("Conditions").contains("Events")
        .as("the operator's Event for the topics it made through the Admin API").contains("TopicCreated");
    assertThat(describe).as("the Spark condition names what is missing").contains("SparkOperatorNotInstalled");
    // No spark-operator runs here: the pipeline must say so instead of claiming its job runs.
    assertThat(PulseResources.condition(client, "SentimentPipeline", APPS, samples.pipeline(), "Ready"))
        .as(PulseResources.describeConditions(client, "SentimentPipeline", APPS, samples.pipeline()))
        .contains("False");
    assertThat(describe).containsIgnoringCase("spark");
  }

  @Test
  @Order(4)
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

  @Test
  @Order(5)
  void killingTheLeaderAndTheIngesterMidStreamLosesNoPostAndDuplicatesNoObject() throws Exception {
    String feed = "e2e-midstream";
    String topic = "pulse.feed." + APPS + "." + feed;
    Set<String> posted = samples.createLongFeed(client, APPS, feed, 400, 10);
    await("the long replay is under way").atMost(POD_START).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> FeedTopic.postIds(kafka.bootstrap(), topic).size() >= 40);
    String leader = leader().orElseThrow();
    Pod ingester = podOf(feed);
    int before = FeedTopic.postIds(kafka.bootstrap(), topic).size();
    client.pods().inNamespace(SYSTEM).withName(leader).withGracePeriod(0).delete();
    client.pods().inNamespace(APPS).withName(ingester.getMetadata().getName()).withGracePeriod(0).delete();
    System.out.printf("[e2e] killed leader %s and ingester %s with %d of %d posts in Kafka%n", leader,
        ingester.getMetadata().getName(), before, posted.size());
    assertThat(before).as("the kill must land mid-stream").isLessThan(posted.size());
    await("a new leader").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> leader().filter(l -> !l.equals(leader)).isPresent());
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
    assertThat(client.apps().deployments().inNamespace(APPS).withLabel("app.kubernetes.io/instance", feed)
        .list().getItems()).as("one ingester Deployment, not two").hasSize(1);
    assertThat(client.apps().deployments().inNamespace(APPS).withLabel("app.kubernetes.io/component", "dashboard")
        .list().getItems()).as("one dashboard Deployment").hasSize(1);
    client.genericKubernetesResources(PulseResources.API_VERSION, "SourceFeed").inNamespace(APPS).withName(feed)
        .delete();
    await("the mid-stream feed's pods are gone").atMost(POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> client.pods().inNamespace(APPS).withLabel("app.kubernetes.io/instance", feed).list().getItems()
            .isEmpty());
  }

  @Test
  @Order(6)
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
  @Order(7)
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
  }

  @Test
  @Order(8)
  void helmUninstallLeavesNoPulseObjectBehind() {
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
