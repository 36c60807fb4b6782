package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.kafka.TopicRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.kafka.config reaches every output topic, on the Strimzi path and the Admin API path alike. */
class OutputTopicsConfigTest {

  @Test
  void theUsersTopicConfigIsAddedToEveryOutputTopicAndItsKeysWin() {
    SentimentPipeline p = PipelineFixtures.northwind("team-a");
    p.getSpec().getKafka().setConfig(Map.of("min.insync.replicas", "2", "cleanup.policy", "compact,delete",
        "retention.ms", "7200000"));
    assertThat(OutputTopics.desired(p)).hasSize(4).allSatisfy(t -> assertThat(t.getSpec().getConfig())
        .containsEntry("min.insync.replicas", "2").containsEntry("cleanup.policy", "compact,delete")
        .containsEntry("retention.ms", "7200000"));

    p.getSpec().getKafka().setClusterName(null);
    p.getSpec().getKafka().setBootstrapServers("kafka:9092");
    assertThat(OutputTopics.requests(p)).hasSize(4).extracting(TopicRequest::config).allSatisfy(c -> assertThat(c)
        .containsEntry("min.insync.replicas", "2").containsEntry("cleanup.policy", "compact,delete")
        .containsEntry("retention.ms", "7200000"));
  }

  @Test
  void withoutItTheTopicsKeepTheirDefaults() {
    SentimentPipeline p = PipelineFixtures.northwind("team-a");
    assertThat(OutputTopics.desired(p)).allSatisfy(t -> assertThat(t.getSpec().getConfig())
        .containsOnlyKeys("retention.ms", "cleanup.policy").containsEntry("cleanup.policy", "delete"));
  }
}
