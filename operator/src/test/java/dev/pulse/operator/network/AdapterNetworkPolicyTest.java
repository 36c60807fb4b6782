package dev.pulse.operator.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** Training pods: nothing connects to them; they reach DNS, and HTTPS only when they download from the Hub. */
class AdapterNetworkPolicyTest {

  private static ModelAdapter sample() {
    return Serialization.unmarshal(Serialization.asYaml(Samples.first("modeladapter-gemma.yaml", "ModelAdapter")),
        ModelAdapter.class);
  }

  private static java.util.List<Integer> egressPorts(NetworkPolicy p) {
    return p.getSpec().getEgress().stream().flatMap(r -> r.getPorts().stream()).map(x -> x.getPort().getIntVal())
        .toList();
  }

  @Test
  void withAHubTokenDnsAndHttpsOnlyWithoutOneDnsOnly() {
    ModelAdapter adapter = sample();
    adapter.getMetadata().setNamespace("team-a");
    assertThat(adapter.getSpec().getBaseModel().getHubTokenSecret()).isNotNull();
    NetworkPolicy online = NetworkPolicies.forAdapter(adapter);
    assertThat(online.getMetadata().getName()).isEqualTo(adapter.getMetadata().getName() + "-trainer-net");
    assertThat(online.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(online.getSpec().getIngress()).isEmpty();
    assertThat(egressPorts(online)).containsExactlyInAnyOrder(53, 53, 443);
    assertThat(online.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component",
        "trainer");

    adapter.getSpec().getBaseModel().setHubTokenSecret(null);
    assertThat(egressPorts(NetworkPolicies.forAdapter(adapter))).containsExactlyInAnyOrder(53, 53);
  }
}
