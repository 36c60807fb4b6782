package dev.pulse.operator.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policies applied to a real kube-apiserver: the API server's own validation of NetworkPolicy (ports, protocols,
 * selectors, peers) accepts every one of them and stores them unchanged. This checks their form only: a policy is
 * enforced by the cluster's network plugin, and the single-node cluster of this repository (CNI bridge plugin) has no
 * policy engine, so no test here proves that traffic is actually dropped.
 */
class NetworkPoliciesOnRealApiServerTest {
  private static KubeApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void apiServer() {
    server = KubeApiServer.shared();
    client = server.client();
    CrdInstaller.installAll(client);
  }

  @Test
  void everyPolicyIsAcceptedAndStoredAsRendered() {
    String namespace = server.createNamespace("netpol");
    List<NetworkPolicy> policies = new ArrayList<>();
    for (String sample : List.of("sentimentpipeline-northwind.yaml", "minimal/sentimentpipeline.yaml")) {
      var p = NetworkPoliciesTest.pipeline(sample);
      p.getMetadata().setNamespace(namespace);
      p.getMetadata().setName(sample.startsWith("minimal") ? "minimal" : "northwind");
      policies.addAll(NetworkPolicies.forPipeline(p));
    }
    for (String sample : List.of("sourcefeed-rss-news.yaml", "sourcefeed-replay.yaml", "sourcefeed-x.yaml",
        "sourcefeed-reddit.yaml")) {
      var f = NetworkPoliciesTest.feed(sample);
      f.getMetadata().setNamespace(namespace);
      policies.add(NetworkPolicies.forFeed(f));
    }
    for (NetworkPolicy n : policies) {
      // Owner references name resources this test did not create; the API server accepts them as they are.
      n.getMetadata().setNamespace(namespace);
      client.resource(n).fieldManager("pulse-operator").forceConflicts().serverSideApply();
      NetworkPolicy stored = client.network().v1().networkPolicies().inNamespace(namespace)
          .withName(n.getMetadata().getName()).get();
      assertThat(stored.getSpec()).as(n.getMetadata().getName()).isEqualTo(n.getSpec());
    }
    assertThat(client.network().v1().networkPolicies().inNamespace(namespace).list().getItems())
        .hasSize(policies.size()).hasSizeGreaterThanOrEqualTo(9);
  }

  @Test
  void theApiServerRefusesAMalformedPolicy() {
    // Proves the check above can fail: the same kind of object with a port out of range is rejected.
    String namespace = server.createNamespace("netpol-bad");
    var p = NetworkPoliciesTest.pipeline("sentimentpipeline-northwind.yaml");
    p.getMetadata().setNamespace(namespace);
    NetworkPolicy bad = NetworkPolicies.forPipeline(p).get(0);
    bad.getSpec().getEgress().get(0).getPorts().get(0).setPort(new IntOrString(70000));
    assertThatThrownBy(() -> client.resource(bad).fieldManager("pulse-operator").serverSideApply())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("port");
  }
}
