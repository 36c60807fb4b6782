package dev.pulse.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.operator.kafka.KafkaTopicAdmin;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.junit.jupiter.api.Test;

/**
 * The reconcilers as the application wires them: every one gets the configured images and the same retry and resync
 * settings. (The SentimentPipeline reconciler once got neither: the chart's runtimeImages never reached pipelines.)
 */
class OperatorConfigurationTest {

  /** Bound as Spring Boot binds operator.yaml or the chart's environment variables. */
  private static final OperatorProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(Map.of(
      "pulse.operator.images.dashboard", "registry.example/pulse/dashboard:configured",
      "pulse.operator.images.vllm", "registry.example/vllm:configured")))
      .bind("pulse.operator", OperatorProperties.class).get();

  @Test
  void everyReconcilerRetriesWithBackoffAndResyncsEveryTenMinutes() {
    for (Reconciler<?> reconciler : reconcilers()) {
      ControllerConfiguration<?> config = new BaseConfigurationService().getConfigurationFor((Reconciler) reconciler);
      assertThat(config.getRetry()).as(config.getName()).isInstanceOfSatisfying(GenericRetry.class, retry -> {
        assertThat(retry.getMaxAttempts()).isEqualTo(10);
        assertThat(retry.getInitialInterval()).isEqualTo(2_000L);
        assertThat(retry.getIntervalMultiplier()).isEqualTo(2.0);
        assertThat(retry.getMaxInterval()).isEqualTo(300_000L);
      });
      assertThat(config.maxReconciliationInterval()).as(config.getName()).contains(Duration.ofMinutes(10));
    }
  }

  @Test
  void thePipelineReconcilerGetsTheConfiguredImages() {
    SentimentPipelineReconciler pipelines = reconcilers().stream()
        .filter(SentimentPipelineReconciler.class::isInstance).map(SentimentPipelineReconciler.class::cast)
        .findFirst().orElseThrow();
    assertThat(pipelines.images()).isEqualTo(PROPERTIES.images());
    assertThat(pipelines.images().dashboard()).isEqualTo("registry.example/pulse/dashboard:configured");
    assertThat(pipelines.images().vllm()).isEqualTo("registry.example/vllm:configured");
  }

  private static List<Reconciler<?>> reconcilers() {
    return new OperatorConfiguration().reconcilers(null, PROPERTIES, new KafkaTopicAdmin());
  }
}
