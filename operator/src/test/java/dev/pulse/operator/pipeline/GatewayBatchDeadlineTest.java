package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.contract.Durations;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The gateway's batch deadline is shorter than the time the Spark job's escalator waits (spec.llm.timeout): the
 * gateway's own default (30 s) let it work on for 28 s on batches the job had given up on after 2 s.
 */
class GatewayBatchDeadlineTest {

  private static String env(Deployment d, String name) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
  }

  @Test
  void theGatewayAnswersBeforeTheEscalatorGivesUp() {
    SentimentPipeline p = PipelineFixtures.northwind("team-a");
    p.getSpec().getLlm().setTimeout("2s");
    Deployment gateway = LlmGateway.deployment(p, p.getSpec().getLlm(), PipelineFixtures.inputs(null));
    String batch = env(gateway, "PULSE_LLM_BATCH_TIMEOUT");
    assertThat(batch).as("PULSE_LLM_BATCH_TIMEOUT").isNotNull();
    assertThat(Durations.parse(batch)).isEqualTo(Duration.ofMillis(1800))
        .isLessThan(Durations.parse(p.getSpec().getLlm().getTimeout()));
    assertThat(LlmGateway.batchDeadline(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(400));
    assertThat(LlmGateway.batchDeadline(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(54));
    assertThat(LlmGateway.batchDeadline(Duration.ofMillis(150))).isEqualTo(Duration.ofMillis(100));
  }
}
