package dev.pulse.operator.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.QdrantStandIn;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reconciler writes the pipeline's NetworkPolicies to the real API server (on by default) and removes them when
 * the operator runs with pulse.operator.network-policies=false. Schema and ownership only: this repository's cluster
 * has no policy engine, so enforcement is not tested.
 */
class NetworkPoliciesReconciledOnRealApiServerTest {
  private static final List<String> NAMES = List.of("northwind-spark-net", "northwind-llm-gateway-net",
      "northwind-vllm-net", "northwind-dashboard-net");

  @Test
  void theOperatorWritesThePoliciesAndRemovesThemWhenTurnedOff() throws Exception {
    try (QdrantStandIn qdrant = new QdrantStandIn("qdrant-test-key")) {
      String ns;
      KubernetesClient client;
      try (RunningOperator operator = RunningOperator.start(new SentimentPipelineReconciler())) {
        client = operator.testClient();
        ns = operator.server().createNamespace("netpol-reconciled");
        for (String[] s : new String[][] {{"qdrant-api", "api-key", "qdrant-test-key"}, {"hf-token", "token", "hf"},
            {"pulse-dashboard-token", "token", "dash"}}) {
          client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(s[0]).endMetadata()
              .withStringData(Map.of(s[1], s[2])).build()).create();
        }
        GenericKubernetesResource sample = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
        Samples.with(sample, "spec.vectorStore.host", "127.0.0.1");
        Samples.with(sample, "spec.vectorStore.grpcPort", qdrant.port());
        Samples.with(sample, "spec.vectorStore.collection", "posts_netpol");
        client.genericKubernetesResources(sample.getApiVersion(), sample.getKind()).inNamespace(ns).resource(sample)
            .create();
        String namespace = ns;
        List<NetworkPolicy> written = await().atMost(Duration.ofSeconds(60)).until(
            () -> client.network().v1().networkPolicies().inNamespace(namespace).list().getItems(),
            l -> l.stream().map(n -> n.getMetadata().getName()).toList().containsAll(NAMES));
        assertThat(written).allSatisfy(n -> assertThat(n.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(o -> assertThat(o.getKind()).isEqualTo("SentimentPipeline")));
      }
      try (RunningOperator off = RunningOperator.start(new SentimentPipelineReconciler().networkPolicies(false))) {
        String namespace = ns;
        await().atMost(Duration.ofSeconds(60)).until(
            () -> off.testClient().network().v1().networkPolicies().inNamespace(namespace).list().getItems(),
            List::isEmpty);
      }
    }
  }
}
