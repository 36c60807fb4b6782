package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Spark pods' PodMonitor is rendered exactly when the cluster serves PodMonitor, with the monitoring labels, and
 * the Monitoring condition says what was created and what the user must check.
 */
class MonitoringConditionTest {
  private final SentimentPipeline p = PipelineFixtures.northwind("brands");

  private static RenderInputs inputs(RenderInputs.MonitoringSupport support) {
    return new RenderInputs(null, List.of("pulse.feed.brands.a"), null, support, 1, false);
  }

  private static List<HasMetadata> podMonitors(List<HasMetadata> objects) {
    return objects.stream().filter(o -> "PodMonitor".equals(o.getKind())).toList();
  }

  @Test
  void thePodMonitorSelectsTheSparkPodsMetricsPortWithTheMonitoringLabels() {
    p.getMetadata().setAnnotations(Map.of(MonitoringLabels.ANNOTATION, "release=kps"));
    List<HasMetadata> objects = SentimentPipelineObjects.desired(p, inputs(RenderInputs.MonitoringSupport.ALL));
    GenericKubernetesResource monitor = (GenericKubernetesResource) podMonitors(objects).get(0);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kps");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    // The native launcher's driver Deployment and executor template carry these labels and the port.
    assertThat(SparkDriver.podLabels(p, "driver")).containsAllEntriesOf(selector);
    assertThat(SparkDriver.podLabels(p, "executor")).containsAllEntriesOf(selector);
    assertThat(SparkDriver.executorTemplate(p).getSpec().getContainers().get(0).getPorts())
        .anyMatch(port -> port.getName().equals(Monitoring.SPARK_METRICS_PORT)
            && port.getContainerPort() == SparkDriver.METRICS_PORT);
    assertThat(podMonitors(SentimentPipelineObjects.desired(p,
        inputs(new RenderInputs.MonitoringSupport(true, true, false))))).isEmpty();
  }

  @Test
  void theConditionSaysWhatWasCreatedAndWhatToCheck() {
    String with = PipelineConditions.monitoring(p, RenderInputs.MonitoringSupport.ALL).getMessage();
    assertThat(with).contains("ServiceMonitor, PodMonitor and PrometheusRule northwind-pulse created")
        .contains("PodMonitor scrapes the Spark driver and executors").contains("podMonitorSelector")
        .contains("ruleSelector").contains("PulseCrisisAlert");
    String without = PipelineConditions.monitoring(p, new RenderInputs.MonitoringSupport(true, true, false))
        .getMessage();
    assertThat(without).contains("no PodMonitor").contains("not scraped").doesNotContain("podMonitorSelector");
  }
}
