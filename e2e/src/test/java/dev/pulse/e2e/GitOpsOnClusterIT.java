package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitOps as the flux/ README tells a user to run it: Flux's source-controller and kustomize-controller (built from
 * their Go modules) watch a Git repository served on this host and laid out like flux/ (clusters/, operator/,
 * pipelines/base, pipelines/dev, pipelines/prod); the shipped Kustomization clusters/dev/pulse-pipelines.yaml
 * applies pipelines/dev. Every change below is a commit, nothing else: add a feed and a pipeline, change a field
 * through the dev overlay, push an invalid resource, delete the pipeline. The operator itself is installed with
 * helm (helm-controller is not served by the module proxy here, so the HelmRelease of flux/operator stays checked
 * against its CRD only, by crds' FluxManifestsTest).
 *
 * <p>After each commit the test asks source-controller to fetch at once (the {@code reconcile.fluxcd.io/requestedAt}
 * annotation, as {@code flux reconcile source git} or a webhook Receiver does), so the figures measure Flux and
 * Pulse, not the polling interval.
 */
@ExtendWith(NodeCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitOpsOnClusterIT {

  static final String ENVIRONMENT = "dev";
  /** The dev overlay's namespace (flux/pipelines/dev/kustomization.yaml). */
  static final String NAMESPACE = "pulse-dev";
  static final String KUSTOMIZATION = "pulse-pipelines";
  /** The user's own repository, as `flux bootstrap` names its GitRepository. */
  static final String SOURCE = "flux-system";
  static final String FEED = "minimal-replay";
  static final String PIPELINE = "minimal";
  static final Duration DEADLINE = Duration.ofMinutes(6);
  private static final String DEV_OVERLAY = "pipelines/dev/kustomization.yaml";
  private static final String BASE = "pipelines/base/kustomization.yaml";

  private NodeCluster cluster;
  private KubernetesClient client;
  private FluxControllers flux;
  private FluxObjects fluxObjects;
  private GitServer gitServer;
  private GitRepo repo;
  private SparkOnCluster spark;
  private boolean operatorInstalledHere;
  private Path work;

  @BeforeAll
  void setUp() throws IOException {
    cluster = NodeCluster.get();
    client = cluster.client();
    fluxObjects = new FluxObjects(cluster);
    spark = new SparkOnCluster(client, NAMESPACE, PIPELINE);
    long start = System.nanoTime();
    cluster.load(ImageArchives.forSuite());
    Timing.record("gitops: import Pulse's images into containerd", start);
    // The operator as the user installs it: helm (another class may have installed it already: leave it then).
    if (client.apps().deployments().inNamespace(PulseOnClusterIT.SYSTEM).withName(Helm.OPERATOR_DEPLOYMENT).get() == null) {
      Helm.install(cluster, PulseOnClusterIT.SYSTEM);
      operatorInstalledHere = true;
    }
    await("operator Deployment available").atMost(DEADLINE).pollInterval(Duration.ofSeconds(2)).until(() -> {
      Deployment d = client.apps().deployments().inNamespace(PulseOnClusterIT.SYSTEM).withName(Helm.OPERATOR_DEPLOYMENT).get();
      return d != null && d.getStatus() != null && d.getStatus().getReadyReplicas() != null
          && d.getStatus().getReadyReplicas() >= 1;
    });
    flux = FluxControllers.start();

    // The user's repository: flux/ as shipped, except that the base lists no resource yet (the first commit of
    // the test adds them). The Kafka the dev overlay names (pulse-kafka:9092) runs in its namespace.
    work = Files.createTempDirectory("pulse-gitops-");
    gitServer = GitServer.start(Files.createDirectories(work.resolve("served")));
    repo = GitRepo.create(gitServer, "pulse-config", work.resolve("checkout"));
    for (String dir : List.of("clusters", "operator", "pipelines")) {
      repo.copy(shipped(dir), dir);
    }
    repo.remove("pipelines/base/sourcefeed-replay.yaml").remove("pipelines/base/sentimentpipeline.yaml");
    repo.write(BASE, withoutResources(repo.read(BASE)));
    String first = repo.commit("Pulse: the layout, no pipeline yet");

    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    start = System.nanoTime();
    KafkaOnCluster.deploy(client, NAMESPACE, DEADLINE);
    Timing.record("gitops: Kafka broker pod Ready", start);

    // What `flux bootstrap` would have made: the GitRepository of the user's repository. Then the shipped
    // Kustomization of the dev environment, without its dependsOn: here helm, not Flux, installed the operator.
    client.genericKubernetesResources(FluxObjects.SOURCE_API, "GitRepository").inNamespace(FluxObjects.NAMESPACE)
        .resource(gitRepository()).serverSideApply();
    GenericKubernetesResource pipelines = Samples.load(shipped("clusters/" + ENVIRONMENT + "/pulse-pipelines.yaml")).get(0);
    assertThat(spec(pipelines).remove("dependsOn")).as("the shipped Kustomization waits for the operator").isNotNull();
    client.genericKubernetesResources(FluxObjects.KUSTOMIZE_API, "Kustomization").inNamespace(FluxObjects.NAMESPACE)
        .resource(pipelines).serverSideApply();
    awaitKustomizationReady(first, "the Kustomization applies the empty layout");
  }

  @AfterAll
  void tearDown() {
    try {
      // Deleting the Kustomization prunes what it applied (its prune: true), the dev namespace with the Kafka pod.
      if (flux != null) {
        cluster.kubectl("delete", "kustomization", KUSTOMIZATION, "-n", FluxObjects.NAMESPACE, "--ignore-not-found",
            "--wait=true", "--timeout=3m");
        cluster.kubectl("delete", "gitrepository", SOURCE, "-n", FluxObjects.NAMESPACE, "--ignore-not-found",
            "--wait=true", "--timeout=1m");
      }
      cluster.kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=3m");
      // Flux's CRDs stay (as Pulse's do after helm uninstall); its namespace, now empty, goes.
      cluster.kubectl("delete", "namespace", FluxObjects.NAMESPACE, "--ignore-not-found", "--wait=false");
    } finally {
      if (flux != null) {
        flux.close();
      }
      if (gitServer != null) {
        gitServer.close();
      }
      if (operatorInstalledHere) {
        Helm.uninstall(cluster, PulseOnClusterIT.SYSTEM);
      }
      deleteQuietly(work);
      System.out.println(Timing.report());
    }
  }

  @Test
  @Order(1)
  void theProdOverlayRendersAndTheApiServerAcceptsIt() throws IOException {
    Path rendered = work.resolve("prod.yaml");
    Files.writeString(rendered, cluster.kubectl("kustomize", shipped("pipelines/prod").toString())
        .orThrow(List.of("kubectl kustomize pipelines/prod")).output());
    String yaml = Files.readString(rendered);
    assertThat(yaml).contains("namespace: pulse-prod").contains("instances: 2").contains("loop: true");
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("pulse-prod").endMetadata().build())
        .serverSideApply();
    try {
      cluster.kubectl("apply", "--dry-run=server", "--validate=strict", "-f", rendered.toString())
          .orThrow(List.of("kubectl apply --dry-run=server (prod overlay)"));
    } finally {
      cluster.kubectl("delete", "namespace", "pulse-prod", "--wait=false");
    }
  }

  @Test
  @Order(2)
  void aCommitAddingAFeedAndAPipelineRunsThemAndFluxWaitsForTheirReadyCondition() {
    long start = System.nanoTime();
    repo.copy(shipped("pipelines/base"), "pipelines/base");
    String commit = repo.commit("Pulse: the minimal feed and pipeline");
    fluxObjects.requestReconcile(SOURCE);
    // kstatus, as Flux reads it: the Kustomization may not turn Ready for this commit before the pipeline's Ready
    // condition is True for its current generation. Each poll reads the Kustomization first, then the pipeline.
    boolean[] sawWaiting = {false};
    boolean[] sawReady = {false};
    long[] applied = {0};
    String[] tooEarly = {null};
    await("Flux applies the commit and its health check passes").atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
        .until(Probe.of("Kustomization at " + commit, () -> {
          boolean ready = fluxObjects.readyAt(KUSTOMIZATION, commit);
          Optional<GenericKubernetesResource> pipeline = PulseResources.get(client, "SentimentPipeline", NAMESPACE, PIPELINE);
          if (pipeline.isPresent() && applied[0] == 0) {
            applied[0] = System.nanoTime();
            Timing.record("gitops: commit → pipeline applied by Flux", start);
          }
          boolean pipelineReady = pipeline.filter(GitOpsOnClusterIT::readyForItsGeneration).isPresent();
          if (pipelineReady && !sawReady[0]) {
            sawReady[0] = true;
            Timing.record("gitops: commit → pipeline's Ready condition True", start);
          }
          if (ready && !pipelineReady) {
            tooEarly[0] = String.valueOf(pipeline.map(p -> p.getAdditionalProperties().get("status")).orElse("(none)"));
          } else if (!ready && pipeline.isPresent() && !pipelineReady) {
            sawWaiting[0] = true;
          }
          return ready;
        }));
    Timing.record("gitops: commit → pipeline Ready (Kustomization healthy)", start);
    assertThat(tooEarly[0]).as("the pipeline's status when Flux found the Kustomization healthy").isNull();
    assertThat(sawWaiting[0]).as("the Kustomization waited for the pipeline's Ready condition").isTrue();
    assertThat(PulseResources.get(client, "SourceFeed", NAMESPACE, FEED).filter(GitOpsOnClusterIT::readyForItsGeneration))
        .as("the feed: Ready for its generation (status.observedGeneration), as kstatus reads it").isPresent();
    assertThat(spark.runningWithExecutors()).as("the Spark driver and its executor run").isTrue();
    assertThat(ingester()).isNotNull();
    assertThat(client.apps().deployments().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", PIPELINE)
        .list().getItems()).as("the pipeline's Deployments (dashboard, Spark driver)").isNotEmpty();
    assertThat(feedRate()).as("the dev overlay's patch").isEqualTo(20.0);
  }

  @Test
  @Order(3)
  void aCommitChangingTheFeedRateInTheOverlayRollsTheIngesterAndNothingElse() {
    Pod ingester = ingester();
    Set<String> others = podsBut(ingester);
    long start = System.nanoTime();
    repo.write(DEV_OVERLAY, replaceOnce(repo.read(DEV_OVERLAY), "value: 20", "value: 25"));
    String commit = repo.commit("dev: replay at 25 posts/s");
    fluxObjects.requestReconcile(SOURCE);
    await("the ingester pod is replaced").atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> !ingester().getMetadata().getUid().equals(ingester.getMetadata().getUid())
            && SparkOnCluster.running(ingester()));
    Timing.record("gitops: commit → changed feed's ingester pod replaced and Ready", start);
    await("the Kustomization is healthy at " + commit).atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
        .until(() -> fluxObjects.readyAt(KUSTOMIZATION, commit));
    assertThat(feedRate()).isEqualTo(25.0);
    assertThat(podsBut(ingester())).as("the Spark, dashboard and Kafka pods were left alone")
        .containsExactlyInAnyOrderElementsOf(others);
  }

  @Test
  @Order(4)
  void anInvalidCommitFailsTheKustomizationWithTheApiServersMessageAndChangesNothing() {
    Pod ingester = ingester();
    Set<String> pods = podsBut(null);
    long feedGeneration = generation("SourceFeed", FEED);
    long pipelineGeneration = generation("SentimentPipeline", PIPELINE);
    // One commit, two changes: a valid one to the pipeline and an invalid rate for the feed. Flux dry-runs the
    // whole set on the API server first, so neither is applied.
    repo.write(DEV_OVERLAY, replaceOnce(repo.read(DEV_OVERLAY), "value: 25", "value: -5") + """
          - target:
              kind: SentimentPipeline
              name: minimal
            patch: |
              - op: replace
                path: /spec/dashboard/replicas
                value: 2
        """);
    long start = System.nanoTime();
    String commit = repo.commit("dev: a negative rate (invalid) and two dashboards");
    fluxObjects.requestReconcile(SOURCE);
    await("the Kustomization fails at " + commit).atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
        .until(() -> fluxObjects.kustomizationReady(KUSTOMIZATION).filter(FluxObjects.Condition::isFalse).isPresent()
            && fluxObjects.status(KUSTOMIZATION, "lastAttemptedRevision").contains(commit));
    Timing.record("gitops: invalid commit → Kustomization failed with the API server's message", start);
    String message = fluxObjects.kustomizationReady(KUSTOMIZATION).orElseThrow().message();
    System.out.println("[e2e] the failed Kustomization says: " + message);
    assertThat(message).as("the API server's own message").contains("SourceFeed").contains(FEED)
        .contains("is invalid").contains("spec.replay.ratePerSecond").contains("greater than or equal to 0");
    String describe = cluster.kubectl("describe", "kustomization", KUSTOMIZATION, "-n", FluxObjects.NAMESPACE).output();
    assertThat(describe).contains("spec.replay.ratePerSecond").contains("greater than or equal to 0");
    assertThat(generation("SourceFeed", FEED)).as("the feed was not changed").isEqualTo(feedGeneration);
    assertThat(generation("SentimentPipeline", PIPELINE)).as("nor the pipeline, valid as its change was")
        .isEqualTo(pipelineGeneration);
    assertThat(podsBut(null)).as("no pod was added, replaced or removed").containsExactlyInAnyOrderElementsOf(pods);
    assertThat(ingester().getMetadata().getUid()).isEqualTo(ingester.getMetadata().getUid());

    start = System.nanoTime();
    String revert = repo.revertLast();
    fluxObjects.requestReconcile(SOURCE);
    await("the revert makes the Kustomization healthy again").atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
        .until(() -> fluxObjects.readyAt(KUSTOMIZATION, revert));
    Timing.record("gitops: git revert → Kustomization healthy again", start);
    assertThat(generation("SentimentPipeline", PIPELINE)).isEqualTo(pipelineGeneration);
  }

  @Test
  @Order(5)
  void aCommitDeletingThePipelinePrunesItAndWhatItOwned() {
    Pod ingester = ingester();
    long start = System.nanoTime();
    repo.remove("pipelines/base/sentimentpipeline.yaml");
    repo.write(BASE, repo.read(BASE).replace("  - sentimentpipeline.yaml\n", ""));
    String commit = repo.commit("Pulse: the minimal pipeline is retired");
    fluxObjects.requestReconcile(SOURCE);
    await("Flux prunes the pipeline and the cluster collects what it owned").atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(1))
        .until(Probe.of("pruned pipeline", () -> PulseResources.get(client, "SentimentPipeline", NAMESPACE, PIPELINE).isEmpty()
            && client.apps().deployments().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", PIPELINE)
                .list().getItems().isEmpty()
            && client.services().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", PIPELINE)
                .list().getItems().isEmpty()
            && spark.all().isEmpty()));
    Timing.record("gitops: commit → pipeline pruned, its pods gone", start);
    await("the Kustomization is healthy at " + commit).atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
        .until(() -> fluxObjects.readyAt(KUSTOMIZATION, commit));
    assertThat(ingester().getMetadata().getUid()).as("the feed stays in Git, so its ingester stays")
        .isEqualTo(ingester.getMetadata().getUid());
  }

  private static boolean readyForItsGeneration(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    Object observed = status instanceof Map<?, ?> map ? map.get("observedGeneration") : null;
    return observed instanceof Number n && n.longValue() == resource.getMetadata().getGeneration()
        && PulseResources.conditionOf(resource, "Ready").filter(c -> "True".equals(c.get("status"))).isPresent();
  }

  private void awaitKustomizationReady(String commit, String what) {
    fluxObjects.requestReconcile(SOURCE);
    await(what).atMost(DEADLINE).pollInterval(Duration.ofSeconds(1))
        .until(Probe.of(what, () -> {
          if (!fluxObjects.readyAt(KUSTOMIZATION, commit)) {
            throw new IllegalStateException(String.valueOf(fluxObjects.kustomizationReady(KUSTOMIZATION)));
          }
          return true;
        }));
  }

  private GenericKubernetesResource gitRepository() {
    return new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
        .withApiVersion(FluxObjects.SOURCE_API).withKind("GitRepository")
        .withNewMetadata().withName(SOURCE).withNamespace(FluxObjects.NAMESPACE).endMetadata()
        .addToAdditionalProperties("spec", Map.of("interval", "10m", "url", gitServer.url(repo.name()).toString(),
            "ref", Map.of("branch", "main")))
        .build();
  }

  private Pod ingester() {
    List<Pod> pods = client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", FEED).list()
        .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    assertThat(pods).as("the feed's ingester pod").hasSize(1);
    return pods.get(0);
  }

  /** Every pod of the dev namespace and the operator's, as name/uid, but {@code except}. */
  private Set<String> podsBut(Pod except) {
    return Stream.concat(client.pods().inNamespace(NAMESPACE).list().getItems().stream(),
            client.pods().inNamespace(PulseOnClusterIT.SYSTEM).list().getItems().stream())
        .filter(p -> except == null || !p.getMetadata().getUid().equals(except.getMetadata().getUid()))
        .map(p -> p.getMetadata().getName() + "/" + p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  private double feedRate() {
    GenericKubernetesResource feed = PulseResources.get(client, "SourceFeed", NAMESPACE, FEED).orElseThrow();
    return ((Number) ((Map<?, ?>) spec(feed).get("replay")).get("ratePerSecond")).doubleValue();
  }

  private long generation(String kind, String name) {
    return PulseResources.get(client, kind, NAMESPACE, name).orElseThrow().getMetadata().getGeneration();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  private static Path shipped(String path) {
    return PulseOnClusterIT.repo("flux/" + path);
  }

  private static String withoutResources(String kustomization) {
    String kept = kustomization.lines().filter(l -> !l.startsWith("  - ") && !l.startsWith("resources:"))
        .collect(Collectors.joining("\n"));
    return kept + "\nresources: []\n";
  }

  private static String replaceOnce(String text, String from, String to) {
    assertThat(text).as("the file to edit").contains(from);
    return text.replaceFirst(java.util.regex.Pattern.quote(from), to);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }
}
