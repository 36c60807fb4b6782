package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The LLM gateway is never open by default, on the real kube-apiserver: without spec.llm.gatewayTokenSecret the
 * operator makes a Secret owned by the pipeline, with a random token, once (a later reconcile keeps it), and gives it
 * to the gateway and to each caller; the token is in no log line, status or Event. A named Secret that is missing is
 * reported as the LLM condition's SecretMissing with a Warning Event until it exists.
 */
class GatewayTokenOnRealApiServerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
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

  /** The sample pipeline with the LLM on (base model, no adapter, no hub token) and the given gateway Secret. */
  private static SentimentPipeline create(String ns, String gatewaySecret) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("pulse-dashboard-token")
        .endMetadata().withStringData(Map.of("token", "dash")).build()).create();
    GenericKubernetesResource p = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    Samples.with(p, "spec.llm.modelAdapterRef", null);
    Samples.with(p, "spec.llm.hubTokenSecret", null);
    if (gatewaySecret != null) {
      Samples.with(p, "spec.llm.gatewayTokenSecret", Map.of("name", gatewaySecret));
    }
    Samples.with(p, "spec.feeds", Map.of("names", List.of("none")));
    Samples.with(p, "spec.spark.launcher", "Native"); // the driver is a Deployment, whether or not the CRD is served
    client.genericKubernetesResources(p.getApiVersion(), p.getKind()).inNamespace(ns).resource(p).create();
    return client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").get();
  }

  private static Optional<EnvVar> tokenVar(String ns, String deployment) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(deployment).get();
    return d == null ? Optional.empty() : d.getSpec().getTemplate().getSpec().getContainers().stream()
        .flatMap(c -> c.getEnv().stream()).filter(e -> e.getName().equals("PULSE_GATEWAY_TOKEN")).findFirst();
  }

  private static PulseCondition llmCondition(String ns) {
    SentimentPipeline p = client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").get();
    return p == null || p.getStatus() == null ? null : p.getStatus().condition(PipelineConditions.LLM).orElse(null);
  }

  @Test
  void withoutANamedSecretTheOperatorMakesOneOnceAndEveryCallerReadsIt() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      String ns = operator.server().createNamespace("gw-token-made");
      SentimentPipeline p = create(ns, null);
      Secret made = await().atMost(WAIT).until(
          () -> client.secrets().inNamespace(ns).withName("northwind-gateway-token").get(), s -> s != null);
      assertThat(made.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
        assertThat(o.getUid()).isEqualTo(p.getMetadata().getUid());
        assertThat(o.getController()).isTrue();
      });
      String token = new String(Base64.getDecoder().decode(made.getData().get("token")), StandardCharsets.US_ASCII);
      assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");

      // The gateway and each caller: the dashboard and the Spark driver.
      for (String deployment : List.of("northwind-llm-gateway", "northwind-dashboard", "northwind-spark-driver")) {
        EnvVar var = await().atMost(WAIT).until(() -> tokenVar(ns, deployment), Optional::isPresent).get();
        assertThat(var.getValue()).as(deployment).isNull();
        assertThat(var.getValueFrom().getSecretKeyRef().getName()).as(deployment).isEqualTo("northwind-gateway-token");
        assertThat(var.getValueFrom().getSecretKeyRef().getKey()).as(deployment).isEqualTo("token");
      }

      // A spec change: the operator reconciles and applies again, and keeps the Secret as it was.
      RunningOperator.retryOnConflict(() -> client.resources(SentimentPipeline.class).inNamespace(ns)
          .withName("northwind").edit(q -> {
            q.getSpec().getLlm().setMaxCallsPerMinute(300);
            return q;
          }));
      await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("northwind-llm-gateway")
          .get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
          .anyMatch(e -> e.getName().equals("PULSE_LLM_BUDGET_PER_MINUTE") && "300".equals(e.getValue())));
      Secret after = client.secrets().inNamespace(ns).withName("northwind-gateway-token").get();
      assertThat(after.getData()).isEqualTo(made.getData());
      assertThat(after.getMetadata().getResourceVersion()).isEqualTo(made.getMetadata().getResourceVersion());

      SentimentPipeline now = client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").get();
      String everything = Serialization.asYaml(now)
          + operator.eventsAbout(now).stream().map(e -> e.getMessage()).collect(Collectors.joining("\n"))
          + client.configMaps().inNamespace(ns).list().getItems().stream().map(Serialization::asYaml)
              .collect(Collectors.joining("\n"))
          + client.apps().deployments().inNamespace(ns).list().getItems().stream().map(Serialization::asYaml)
              .collect(Collectors.joining("\n"))
          + logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
      assertThat(everything).doesNotContain(token);
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void aMissingNamedSecretIsReportedWithAWarningUntilItExists() {
    String ns = operator.server().createNamespace("gw-token-named");
    create(ns, "northwind-gateway");
    PulseCondition missing = await().atMost(WAIT).until(() -> llmCondition(ns),
        c -> c != null && "SecretMissing".equals(c.getReason()));
    assertThat(missing.getStatus()).isEqualTo("False");
    assertThat(missing.getMessage()).contains("northwind-gateway").contains("token");
    await().atMost(WAIT).until(() -> operator.eventsAbout(client.resources(SentimentPipeline.class)
        .inNamespace(ns).withName("northwind").get()).stream()
        .anyMatch(e -> "SecretMissing".equals(e.getReason()) && "Warning".equals(e.getType())));
    // The named Secret is the user's to make: the operator makes none of its own, and holds the gateway back.
    assertThat(client.secrets().inNamespace(ns).withName("northwind-gateway-token").get()).isNull();
    assertThat(client.apps().deployments().inNamespace(ns).withName("northwind-llm-gateway").get()).isNull();

    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("northwind-gateway")
        .endMetadata().withStringData(Map.of("token", "a-long-random-string-made-by-the-user")).build()).create();
    await().atMost(Duration.ofSeconds(90)).until(() -> llmCondition(ns),
        c -> c != null && !"SecretMissing".equals(c.getReason()));
    EnvVar var = await().atMost(WAIT).until(() -> tokenVar(ns, "northwind-llm-gateway"), Optional::isPresent).get();
    assertThat(var.getValueFrom().getSecretKeyRef().getName()).isEqualTo("northwind-gateway");
  }
}
