package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dashboard with auth on whose token Secret (or its key) is missing says so in the Dashboard condition, with an
 * Event, instead of waiting for a pod that cannot start; once the Secret has the key it goes on.
 */
class DashboardTokenOnRealApiServerTest {

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

  private static PulseCondition dashboardCondition(String ns) {
    SentimentPipeline p = client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").get();
    return p == null || p.getStatus() == null ? null
        : p.getStatus().condition(PipelineConditions.DASHBOARD).orElse(null);
  }

  @Test
  void aMissingTokenKeyIsReportedUntilItExists() {
    String ns = operator.server().createNamespace("dash-token");
    // The Secret exists but holds another key than the one the spec names (token).
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("pulse-dashboard-token")
        .endMetadata().withStringData(Map.of("tokn", "dash")).build()).create();
    GenericKubernetesResource p = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    Samples.with(p, "spec.llm", Map.of("enabled", false));
    Samples.with(p, "spec.vectorStore", null);
    Samples.with(p, "spec.feeds", Map.of("names", List.of("none")));
    client.genericKubernetesResources(p.getApiVersion(), p.getKind()).inNamespace(ns).resource(p).create();

    PulseCondition missing = await().atMost(Duration.ofSeconds(45)).until(() -> dashboardCondition(ns),
        c -> c != null && "SecretMissing".equals(c.getReason()));
    assertThat(missing.getMessage()).contains("pulse-dashboard-token").contains("token").doesNotContain("dash\"");
    // Events follow the status write that stored the transition.
    await().atMost(Duration.ofSeconds(30)).until(() -> operator.eventsAbout(client.resources(SentimentPipeline.class)
        .inNamespace(ns).withName("northwind").get()).stream()
        .anyMatch(e -> "SecretMissing".equals(e.getReason()) && "Warning".equals(e.getType())));

    client.secrets().inNamespace(ns).withName("pulse-dashboard-token").edit(s -> new SecretBuilder(s)
        .addToStringData("token", "dash").build());
    await().atMost(Duration.ofSeconds(60)).until(() -> dashboardCondition(ns),
        c -> c != null && "DashboardProgressing".equals(c.getReason()));
  }
}
