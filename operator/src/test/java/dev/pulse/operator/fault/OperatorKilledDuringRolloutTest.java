package dev.pulse.operator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.operator.bench.BenchWorkload;
import dev.pulse.operator.bench.Convergence;
import dev.pulse.operator.bench.OperatorProcess;
import dev.pulse.operator.support.OwnedInformers;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testsupport.QdrantStandIn;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The real operator (its own JVM, as the image runs it) killed with SIGKILL at random points of its life — while it
 * starts, lists, applies, writes status, creates Qdrant collections — again and again during a rollout of many
 * pipelines, then once more while they are deleted. A last operator left running must converge: every pipeline and
 * feed observed, exactly the objects the renderer gives (none missing, none extra, every one owned by a live
 * resource), exactly the Qdrant collections asked for, and no resource stuck on its finalizer.
 *
 * <p>Bounded for the test command (6 kills during the rollout and 2 during deletion, 12 pipelines); the soak is
 * {@code -Dpulse.fault.kills=50 -Dpulse.fault.pipelines=50}. The seed is printed; {@code -Dpulse.fault.seed} replays.
 */
class OperatorKilledDuringRolloutTest {

  private static final int KILLS = Integer.getInteger("pulse.fault.kills", 6);
  private static final int DELETE_KILLS = Math.max(2, KILLS / 4);
  private static final int PIPELINES = Integer.getInteger("pulse.fault.pipelines", 12);
  private static final long SEED = Long.getLong("pulse.fault.seed", System.nanoTime());
  /** Kill points from just after the JVM starts to well after it is healthy (it is healthy in ~5-15 s here). */
  private static final int MAX_LIFE_MILLIS = 25_000;

  @Test
  void killedAtRandomPointsItStillConvergesWithNoOrphanDuplicateOrStuckFinalizer() throws Exception {
    System.out.printf("fault: %d kills, %d pipelines, seed %d (-Dpulse.fault.seed=%d replays)%n", KILLS, PIPELINES,
        SEED, SEED);
    Random random = new Random(SEED);
    KubeApiServer server = KubeApiServer.shared();
    KubernetesClient client = server.client();
    CrdInstaller.installAll(client);
    Path logs = Files.createTempDirectory("pulse-fault-");
    try (QdrantStandIn qdrant = new QdrantStandIn(BenchWorkload.QDRANT_KEY)) {
      BenchWorkload workload = BenchWorkload.prepare(server, PIPELINES, 2, qdrant.port());
      workload.createSecrets(client);
      Map<String, String> env = Map.of("PULSE_OPERATOR_NAMESPACES", String.join(",", workload.namespaces()));
      workload.applyAll(client);

      List<Long> lives = killRepeatedly(server, logs, "rollout", KILLS, env, random);
      try (Convergence convergence = new Convergence(client, workload.units(), qdrant.collections()::containsKey);
           OperatorProcess last = OperatorProcess.start(server.kubeconfig(), logs.resolve("rollout-last.log"),
               List.of("-Xmx384m"), env)) {
        long start = System.nanoTime();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
            .until(() -> convergence.converged() == PIPELINES);
        System.out.printf("fault: after %d kills (lives in ms: %s) the last operator converged %d pipelines in %.1f s%n",
            KILLS, lives, PIPELINES, (System.nanoTime() - start) / 1e9);
      }
      assertExactlyTheRenderedObjects(client, workload);
      assertThat(qdrant.collections().keySet()).as("Qdrant collections")
          .containsExactlyInAnyOrderElementsOf(workload.units().stream().map(BenchWorkload.Unit::collection).toList());

      // Deletion, killed again midway: the finalizer (it deletes the collection) must never stay stuck.
      for (BenchWorkload.Unit u : workload.units()) {
        delete(client, u.pipeline());
        delete(client, u.feed());
      }
      List<Long> deleteLives = killRepeatedly(server, logs, "delete", DELETE_KILLS, env, random);
      try (OperatorProcess last = OperatorProcess.start(server.kubeconfig(), logs.resolve("delete-last.log"),
          List.of("-Xmx384m"), env)) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          for (String ns : workload.namespaces()) {
            assertThat(client.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline").inNamespace(ns)
                .list().getItems()).as("pipelines left in " + ns).isEmpty();
            assertThat(client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(ns)
                .list().getItems()).as("feeds left in " + ns).isEmpty();
          }
        });
        System.out.printf("fault: deletion, killed %d times (lives in ms: %s), left no resource on its finalizer%n",
            DELETE_KILLS, deleteLives);
      }
      assertThat(qdrant.collections()).as("collections the finalizer should have deleted").isEmpty();
      assertNoSecretLogged(logs);
    }
  }

  /** Starts the operator and kills it after a random part of its life, {@code times} times, never waiting for it. */
  private static List<Long> killRepeatedly(KubeApiServer server, Path logs, String phase, int times,
      Map<String, String> env, Random random) throws Exception {
    List<Long> lives = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      long life = 500 + random.nextInt(MAX_LIFE_MILLIS);
      OperatorProcess operator = OperatorProcess.launch(server.kubeconfig(), logs.resolve(phase + "-" + i + ".log"),
          List.of("-Xmx384m"), env);
      Thread.sleep(life);
      operator.kill();
      lives.add(life);
    }
    return lives;
  }

  /**
   * Every object labelled as the operator's in the workload's namespaces (Events aside) is one the renderer gives
   * for a unit — so nothing was created twice under another name — and names a live owner.
   */
  private static void assertExactlyTheRenderedObjects(KubernetesClient client, BenchWorkload workload) {
    Set<String> expected = new TreeSet<>();
    Set<String> kinds = new TreeSet<>();
    for (BenchWorkload.Unit u : workload.units()) {
      for (String object : BenchWorkload.expectedObjects(u)) {
        expected.add(object);
        String[] parts = object.split(" ");
        kinds.add(parts[0] + " " + parts[1]);
      }
    }
    Set<String> owners = new HashSet<>();
    for (String ns : workload.namespaces()) {
      for (String kind : List.of("SentimentPipeline", "SourceFeed")) {
        client.genericKubernetesResources("pulse.dev/v1alpha1", kind).inNamespace(ns).list().getItems()
            .forEach(r -> owners.add(r.getMetadata().getUid()));
      }
    }
    Set<String> actual = new TreeSet<>();
    List<String> orphans = new ArrayList<>();
    for (String kind : kinds) {
      String[] parts = kind.split(" ");
      for (String ns : workload.namespaces()) {
        for (GenericKubernetesResource o : client.genericKubernetesResources(parts[0], parts[1]).inNamespace(ns)
            .withLabelSelector(OwnedInformers.MANAGED_BY_SELECTOR).list().getItems()) {
          String id = kind + " " + ns + "/" + o.getMetadata().getName();
          actual.add(id);
          List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
          if (refs == null || refs.stream().noneMatch(r -> owners.contains(r.getUid()))) {
            orphans.add(id);
          }
        }
      }
    }
    assertThat(actual).as("objects the operator wrote (kinds %s)", kinds).isEqualTo(expected);
    assertThat(orphans).as("objects whose owner is gone").isEmpty();
  }

  private static void assertNoSecretLogged(Path logs) throws Exception {
    try (var files = Files.list(logs)) {
      for (Path log : files.toList()) {
        assertThat(Files.readString(log)).as("log %s", log).doesNotContain(BenchWorkload.QDRANT_KEY);
      }
    }
  }

  private static void delete(KubernetesClient client, GenericKubernetesResource r) {
    client.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(r.getMetadata().getNamespace())
        .withName(r.getMetadata().getName()).delete();
  }
}
