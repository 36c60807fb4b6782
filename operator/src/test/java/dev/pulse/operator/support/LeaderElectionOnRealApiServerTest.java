package dev.pulse.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.bench.OperatorProcess;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the operator (the real application, each a JVM of its own, as the chart's Deployment with
 * replicas: 2 runs them) against the real API server with leader election on: one holds the Lease and reconciles;
 * killed without warning (SIGKILL: the Lease is not released), the other takes the Lease within the lease duration
 * and goes on reconciling. Prints the takeover time.
 */
class LeaderElectionOnRealApiServerTest {

  private static final String LEASE = "pulse-operator-leader";

  @Test
  void theStandbyTakesOverWithinTheLeaseDurationWhenTheLeaderDies() throws Exception {
    KubeApiServer server = KubeApiServer.shared();
    KubernetesClient client = server.client();
    CrdInstaller.installAll(client);
    String ns = server.createNamespace("leader");
    Path logs = Files.createTempDirectory("pulse-leader-");
    OperatorProcess a = start(server, ns, "operator-a", logs);
    OperatorProcess b = null;
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> "operator-a".equals(holder(client, ns)));
      b = start(server, ns, "operator-b", logs);

      GenericKubernetesResource feed = Samples.first("sourcefeed-rss-news.yaml", "SourceFeed");
      client.genericKubernetesResources(feed.getApiVersion(), feed.getKind()).inNamespace(ns).resource(feed).create();
      String name = feed.getMetadata().getName();
      awaitObservedGeneration(client, ns, name, 1);
      assertThat(holder(client, ns)).as("the standby did not take the Lease").isEqualTo("operator-a");

      a.kill();
      long killed = System.nanoTime();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .until(() -> "operator-b".equals(holder(client, ns)));
      double takeoverSeconds = (System.nanoTime() - killed) / 1e9;
      Duration leaseDuration = LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE;
      System.out.printf("leader election: operator-b took the Lease %.1f s after operator-a was killed (lease "
          + "duration %d s, retry period %d s)%n", takeoverSeconds, leaseDuration.toSeconds(),
          LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE.toSeconds());
      // The Lease expires leaseDuration after the leader's last renewal; the standby tries every retry period.
      // Slack for a loaded 2-core machine, where a JVM can stall for seconds.
      assertThat(takeoverSeconds).isLessThan(leaseDuration.plus(
          LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE.multipliedBy(2)).plusSeconds(10).toSeconds());

      // The new leader reconciles: a spec change is observed.
      RunningOperator.retryOnConflict(() -> client.resources(SourceFeed.class).inNamespace(ns).withName(name)
          .edit(f -> {
            f.getSpec().setPollInterval("7m");
            return f;
          }));
      awaitObservedGeneration(client, ns, name, 2);
    } finally {
      a.close();
      if (b != null) {
        b.close();
      }
    }
  }

  private static OperatorProcess start(KubeApiServer server, String ns, String identity, Path logs) throws Exception {
    return OperatorProcess.start(server.kubeconfig(), logs.resolve(identity + ".log"), List.of("-Xmx384m"), Map.of(
        "HOSTNAME", identity, // the Lease holder's identity, as a pod's name is
        "PULSE_OPERATOR_LEADER_ELECTION", "true",
        "PULSE_OPERATOR_LEASE_NAMESPACE", ns,
        "PULSE_OPERATOR_NAMESPACES", ns)); // only this test's namespace of the shared API server
  }

  private static String holder(KubernetesClient client, String ns) {
    Lease lease = client.leases().inNamespace(ns).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static void awaitObservedGeneration(KubernetesClient client, String ns, String name, long generation) {
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      SourceFeed f = client.resources(SourceFeed.class).inNamespace(ns).withName(name).get();
      return f.getStatus() != null && Long.valueOf(generation).equals(f.getStatus().getObservedGeneration());
    });
  }
}
