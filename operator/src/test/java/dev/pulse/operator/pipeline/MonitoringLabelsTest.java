package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SentimentPipelineSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The labels a cluster's Prometheus selects on, from the pipeline's annotation onto its monitoring objects. */
class MonitoringLabelsTest {

  private static SentimentPipeline pipeline(Map<String, String> annotations) {
    SentimentPipeline p = new SentimentPipeline();
    p.setMetadata(new ObjectMetaBuilder().withName("northwind").withNamespace("brands").withUid("u-1")
        .withAnnotations(annotations).build());
    p.setSpec(new SentimentPipelineSpec());
    return p;
  }

  @Test
  void parsesPairsAndLeavesOutWhatIsNotALabel() {
    assertThat(MonitoringLabels.parse("release=kps, team=brand-ops,prometheus.io/scrape=yes"))
        .containsExactly(Map.entry("release", "kps"), Map.entry("team", "brand-ops"),
            Map.entry("prometheus.io/scrape", "yes"));
    assertThat(MonitoringLabels.parse("release, =x,bad key=1,ok=")).containsExactly(Map.entry("ok", ""));
    assertThat(MonitoringLabels.parse(null)).isEmpty();
  }

  @Test
  void thePipelinesAnnotationReachesItsServiceMonitorAndPrometheusRuleButNotOverPulsesOwnLabels() {
    SentimentPipeline p = pipeline(Map.of(MonitoringLabels.ANNOTATION,
        "release=kube-prometheus-stack,app.kubernetes.io/managed-by=someone-else"));
    for (GenericKubernetesResource r : new GenericKubernetesResource[] {Monitoring.serviceMonitor(p),
        Monitoring.prometheusRule(p)}) {
      Map<String, String> labels = r.getMetadata().getLabels();
      assertThat(labels).containsEntry("release", "kube-prometheus-stack");
      assertThat(labels.get("app.kubernetes.io/managed-by")).isNotEqualTo("someone-else");
    }
  }

  @Test
  void withoutAnnotationOnlyPulsesLabels() {
    assertThat(Monitoring.serviceMonitor(pipeline(null)).getMetadata().getLabels()).doesNotContainKey("release");
  }

  @Test
  void theMonitoringConditionSaysWhatWasCreatedAndWhatToCheck() {
    String message = PipelineConditions.monitoring(pipeline(Map.of(MonitoringLabels.ANNOTATION, "release=kps")),
        dev.pulse.operator.pipeline.RenderInputs.MonitoringSupport.ALL).getMessage();
    assertThat(message).contains("northwind-pulse").contains("release=kps").contains("PulseCrisisAlert")
        .contains("serviceMonitorSelector").contains(MonitoringLabels.ANNOTATION);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aFeedsServiceMonitorSelectsExactlyItsIngestersMetricsService() {
    dev.pulse.crd.v1alpha1.SourceFeed feed = new dev.pulse.crd.v1alpha1.SourceFeed();
    feed.setMetadata(new ObjectMetaBuilder().withName("northwind-news").withNamespace("brands").withUid("u-2")
        .withAnnotations(Map.of(MonitoringLabels.ANNOTATION, "release=kps")).build());
    io.fabric8.kubernetes.api.model.Service service = dev.pulse.operator.feed.SourceFeedObjects.metricsService(feed);
    GenericKubernetesResource monitor = Monitoring.feedServiceMonitor(feed);
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    Map<String, String> matchLabels = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(matchLabels);
    assertThat(matchLabels).containsEntry("pulse.dev/sourcefeed", "northwind-news");
    Map<String, Object> endpoint = ((java.util.List<Map<String, Object>>) spec.get("endpoints")).get(0);
    assertThat(service.getSpec().getPorts()).extracting(io.fabric8.kubernetes.api.model.ServicePort::getName)
        .contains((String) endpoint.get("port"));
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kps");
    assertThat(monitor.getMetadata().getOwnerReferences()).extracting(o -> o.getKind()).containsExactly("SourceFeed");
  }
}
