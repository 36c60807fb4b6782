package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.kafka.TopicRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.kafka.config reaches every output topic, on the Strimzi path and the Admin API path alike; the labelled topic
 * stays compacted whatever it says.
 */
class OutputTopicsConfigTest {
  private static final String LABELLED = "pulse.pipeline.team-a.northwind.labelled";

  @Test
  void theUsersTopicConfigIsAddedToEveryOutputTopicAndItsKeysWin() {
    SentimentPipeline p = PipelineFixtures.northwind("team-a");
    p.getSpec().getKafka().setConfig(Map.of("min.insync.replicas", "2", "cleanup.policy", "compact,delete",
        "retention.ms", "7200000"));
    assertThat(OutputTopics.desired(p)).hasSize(5).allSatisfy(t -> assertThat(t.getSpec().getConfig())
        .containsEntry("min.insync.replicas", "2"));
    assertThat(OutputTopics.desired(p)).filteredOn(t -> !t.getSpec().getTopicName().equals(LABELLED))
        .hasSize(4).allSatisfy(t -> assertThat(t.getSpec().getConfig())
            .containsEntry("cleanup.policy", "compact,delete").containsEntry("retention.ms", "7200000"));

    p.getSpec().getKafka().setClusterName(null);
    p.getSpec().getKafka().setBootstrapServers("kafka:9092");
    assertThat(OutputTopics.requests(p)).hasSize(5).extracting(TopicRequest::config).allSatisfy(c -> assertThat(c)
        .containsEntry("min.insync.replicas", "2"));
    assertThat(OutputTopics.requests(p)).filteredOn(r -> !r.name().equals(LABELLED)).hasSize(4)
        .extracting(TopicRequest::config).allSatisfy(c -> assertThat(c)
            .containsEntry("cleanup.policy", "compact,delete").containsEntry("retention.ms", "7200000"));
  }

  @Test
  void withoutItTheTopicsKeepTheirDefaults() {
    SentimentPipeline p = PipelineFixtures.northwind("team-a");
    assertThat(OutputTopics.desired(p)).filteredOn(t -> !t.getSpec().getTopicName().equals(LABELLED)).hasSize(4)
        .allSatisfy(t -> assertThat(t.getSpec().getConfig())
            .containsOnlyKeys("retention.ms", "cleanup.policy").containsEntry("cleanup.policy", "delete"));
  }

  @Test
  void theLabelledTopicIsCompactedOnBothPathsAndNoUserConfigLetsItsLabelsExpire() {
    SentimentPipeline p = PipelineFixtures.northwind("team-a");
    p.getSpec().getKafka().setConfig(Map.of("cleanup.policy", "delete", "retention.ms", "3600000",
        "retention.bytes", "1048576", "max.message.bytes", "2097152"));
    assertThat(OutputTopics.names(p)).contains(LABELLED);
    assertThat(OutputTopics.desired(p)).filteredOn(t -> t.getSpec().getTopicName().equals(LABELLED)).singleElement()
        .satisfies(t -> {
          assertThat(t.getMetadata().getName()).isEqualTo("northwind-labelled");
          assertThat(t.getMetadata().getLabels()).containsEntry(OutputTopics.CLUSTER_LABEL, "pulse-kafka");
          assertThat(t.getSpec().getConfig()).containsOnly(Map.entry("cleanup.policy", "compact"),
              Map.entry("max.message.bytes", "2097152"));
          assertThat(t.getSpec().getPartitions()).isEqualTo(6);
        });

    p.getSpec().getKafka().setClusterName(null);
    p.getSpec().getKafka().setBootstrapServers("kafka:9092");
    assertThat(OutputTopics.requests(p)).filteredOn(r -> r.name().equals(LABELLED)).singleElement()
        .satisfies(r -> assertThat(r.config()).containsOnly(Map.entry("cleanup.policy", "compact"),
            Map.entry("max.message.bytes", "2097152")));
  }

  /**
   * The dashboard (analysts' corrections) and the Spark job (the LLM's disagreements) are given only the scored topic
   * and derive the labelled one from it (LabelledExamples.topicFor): the topic the operator creates must be that one,
   * within Kafka's 249 characters, for the longest names too.
   */
  @Test
  void theLabelledTopicIsTheOneItsWritersDeriveFromTheScoredTopic() {
    for (String[] nsAndName : new String[][] {{"team-a", "northwind"}, {"n".repeat(63), "p".repeat(253)},
        {"n".repeat(20), "p".repeat(206)}}) { // the last: .scored is 249 characters, .labelled would be 251
      SentimentPipeline p = PipelineFixtures.northwind(nsAndName[0]);
      p.getMetadata().setName(nsAndName[1]);
      String scored = Dashboard.env(p, p.getSpec().getDashboard()).stream()
          .filter(e -> e.getName().equals("PULSE_DASHBOARD_KAFKA_SCOREDTOPIC")).findFirst().orElseThrow().getValue();
      String labelled = PipelineNames.topic(p, OutputTopics.Kind.LABELLED);
      assertThat(labelled).as(nsAndName[1]).isEqualTo(dev.pulse.event.LabelledExamples.topicFor(scored))
          .matches("[a-zA-Z0-9._-]{1,249}").endsWith(".labelled");
      assertThat(OutputTopics.desired(p)).extracting(t -> t.getSpec().getTopicName()).contains(labelled)
          .doesNotHaveDuplicates();
      assertThat(OutputTopics.desired(p)).extracting(t -> t.getMetadata().getName()).doesNotHaveDuplicates();
    }
  }
}
