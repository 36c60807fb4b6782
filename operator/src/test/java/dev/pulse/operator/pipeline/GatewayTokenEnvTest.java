package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * spec.llm.gatewayTokenSecret reaches the gateway and every caller of it (Spark driver and executors, the dashboard)
 * as PULSE_GATEWAY_TOKEN from the Secret, never as a value; without it they read the Secret the operator makes
 * ({@link GatewayTokens}); only with the LLM off does none of them get the variable.
 */
class GatewayTokenEnvTest {

  private static SentimentPipeline withToken() {
    SentimentPipeline p = PipelineFixtures.northwind("team-a");
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("northwind-gateway");
    p.getSpec().getLlm().setGatewayTokenSecret(ref);
    return p;
  }

  /** Every PULSE_GATEWAY_TOKEN variable in the Deployments' containers. */
  private static List<EnvVar> tokenVars(List<HasMetadata> objects) {
    return objects.stream().filter(Deployment.class::isInstance)
        .flatMap(d -> ((Deployment) d).getSpec().getTemplate().getSpec().getContainers().stream())
        .flatMap(c -> c.getEnv() == null ? Stream.empty() : c.getEnv().stream())
        .filter(e -> e.getName().equals("PULSE_GATEWAY_TOKEN")).toList();
  }

  /**
   * How often the variable appears in the SparkApplication (driver and executor templates) or in the native launcher's
   * executor pod template (a ConfigMap).
   */
  private static int inSparkApplication(List<HasMetadata> objects) {
    return objects.stream()
        .filter(o -> o instanceof SparkApplication || o instanceof io.fabric8.kubernetes.api.model.ConfigMap)
        .mapToInt(o -> Serialization.asYaml(o).split("PULSE_GATEWAY_TOKEN", -1).length - 1).sum();
  }

  @Test
  void theGatewayTheSparkJobAndTheDashboardGetTheTokenFromTheSecret() {
    List<HasMetadata> objects = SentimentPipelineObjects.desired(withToken(), PipelineFixtures.inputs(null));
    List<EnvVar> vars = tokenVars(objects);
    // The gateway and the dashboard Deployments, and the Spark driver and executors (natively: the driver's
    // Deployment and its executor pod template; through the Spark operator: the SparkApplication's two templates).
    int spark = inSparkApplication(objects);
    assertThat(vars.size() + spark).isGreaterThanOrEqualTo(4);
    assertThat(vars).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> {
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("northwind-gateway");
      assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    });
    // No Secret named: the operator's own (GatewayTokens makes it), never an open gateway.
    List<HasMetadata> generated = SentimentPipelineObjects.desired(PipelineFixtures.northwind("team-a"),
        PipelineFixtures.inputs(null));
    assertThat(tokenVars(generated).size() + inSparkApplication(generated)).isGreaterThanOrEqualTo(4);
    assertThat(tokenVars(generated)).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> {
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("northwind-gateway-token");
      assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    });
    // The LLM off: no gateway, so no token anywhere.
    SentimentPipeline off = PipelineFixtures.northwind("team-a");
    off.getSpec().getLlm().setEnabled(false);
    List<HasMetadata> without = SentimentPipelineObjects.desired(off, PipelineFixtures.inputs(null));
    assertThat(tokenVars(without)).isEmpty();
    assertThat(inSparkApplication(without)).isZero();
  }
}
