package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.contract.Durations;
import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replicas belong to whoever the user leaves them to. With {@code dashboard.replicas} omitted the operator never sets
 * the Deployment's {@code spec.replicas} (server-side apply: it does not own the field), so a HorizontalPodAutoscaler or
 * {@code kubectl scale} (another field manager) keeps its count through the operator's later applies; with replicas
 * set the operator owns the field and restores it; 0 is a deliberate state, not a wait that holds Ready back.
 */
class ReplicasOwnerOnRealApiServerTest {

  private static RunningOperator operator;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    operator = RunningOperator.start(new SentimentPipelineReconciler());
    client = operator.testClient();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  /** The sample pipeline with the dashboard only (no LLM, no vector store), dashboard replicas as given. */
  private static String pipeline(String ns, Integer replicas) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("pulse-dashboard-token")
        .endMetadata().withStringData(Map.of("token", "dash")).build()).create();
    GenericKubernetesResource p = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    Samples.with(p, "spec.llm", Map.of("enabled", false));
    Samples.with(p, "spec.vectorStore", null);
    Samples.with(p, "spec.feeds", Map.of("names", List.of("none")));
    Samples.with(p, "spec.dashboard.replicas", replicas);
    client.genericKubernetesResources(p.getApiVersion(), p.getKind()).inNamespace(ns).resource(p).create();
    return p.getMetadata().getName();
  }

  private static Deployment dashboard(String ns, String pipeline) {
    return client.apps().deployments().inNamespace(ns).withName(pipeline + "-dashboard").get();
  }

  /** What an HPA or kubectl scale does: sets spec.replicas as a field manager of its own. */
  private static void scaleAsAnotherManager(String ns, String name, int replicas) {
    client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
            .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
            .withNewSpec().withReplicas(replicas).endSpec().build())
        .fieldManager("horizontal-pod-autoscaler-test").forceConflicts().serverSideApply();
  }

  /** A spec change that changes the dashboard Deployment, so the operator really applies it again. */
  private static void changeLookback(String ns, String pipeline, String lookback) {
    RunningOperator.retryOnConflict(() -> client.resources(SentimentPipeline.class).inNamespace(ns).withName(pipeline)
        .edit(p -> {
          p.getSpec().getDashboard().setLookback(lookback);
          return p;
        }));
    String value = Durations.format(Durations.parse(lookback));
    await().atMost(Duration.ofSeconds(45)).until(() -> dashboard(ns, pipeline).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getEnv().stream().anyMatch(e -> value.equals(e.getValue())));
  }

  @Test
  void omittedReplicasAreLeftToAnotherFieldManager() {
    String ns = operator.server().createNamespace("replicas-hpa");
    String name = pipeline(ns, null);
    await().atMost(Duration.ofSeconds(45)).until(() -> dashboard(ns, name) != null);
    assertThat(dashboard(ns, name).getSpec().getReplicas()).as("the API server's default at creation").isEqualTo(1);

    scaleAsAnotherManager(ns, name + "-dashboard", 4);
    changeLookback(ns, name, "12h");
    assertThat(dashboard(ns, name).getSpec().getReplicas()).as("replicas after the operator applied again").isEqualTo(4);
    assertThat(dashboard(ns, name).getMetadata().getManagedFields())
        .filteredOn(f -> "pulse-operator".equals(f.getManager()))
        .allSatisfy(f -> assertThat(f.getFieldsV1().getAdditionalProperties().toString()).doesNotContain("f:replicas"));
  }

  @Test
  void replicasSetInTheSpecAreTheOperatorsAndRestored() {
    String ns = operator.server().createNamespace("replicas-owned");
    String name = pipeline(ns, 2);
    await().atMost(Duration.ofSeconds(45)).until(() -> dashboard(ns, name) != null);
    scaleAsAnotherManager(ns, name + "-dashboard", 5);
    changeLookback(ns, name, "6h");
    await().atMost(Duration.ofSeconds(45)).until(() -> dashboard(ns, name).getSpec().getReplicas() == 2);
  }

  @Test
  void zeroReplicasDoNotHoldTheDashboardConditionBack() {
    String ns = operator.server().createNamespace("replicas-zero");
    String name = pipeline(ns, 0);
    PulseCondition condition = await().atMost(Duration.ofSeconds(45)).until(() -> {
      SentimentPipeline p = client.resources(SentimentPipeline.class).inNamespace(ns).withName(name).get();
      return p.getStatus() == null ? null : p.getStatus().condition(PipelineConditions.DASHBOARD).orElse(null);
    }, c -> c != null && "True".equals(c.getStatus()));
    assertThat(condition.getReason()).isEqualTo("ScaledToZero");
    assertThat(dashboard(ns, name).getSpec().getReplicas()).isZero();
  }
}
