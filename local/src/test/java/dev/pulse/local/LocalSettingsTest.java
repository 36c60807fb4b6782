package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.stream.PipelineSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The local run's one set of settings, as both engines read it: the in-JVM stream core through
 * {@link PipelineSettings#from}, the Spark job as the same keys passed with --conf.
 */
class LocalSettingsTest {
  private final LocalRun.Topics topics = LocalRun.Topics.of("local", "demo");

  @Test
  void theLocalRunsSettingsAreWhatThePipelineReads() {
    PipelineSettings s = PipelineSettings.from(
        LocalRun.pipelineConf("localhost:9092", topics, 30, true, Path.of("/tmp/pulse-local-test")));
    assertThat(s.pipeline()).isEqualTo("demo");
    assertThat(s.inputTopics()).containsExactly("pulse.feed.local.demo-replay");
    assertThat(List.of(s.scoredTopic(), s.aggregatesTopic(), s.alertsTopic(), s.deadLetterTopic())).containsExactly(
        "pulse.pipeline.local.demo.scored", "pulse.pipeline.local.demo.aggregates", "pulse.pipeline.local.demo.alerts",
        "pulse.pipeline.local.demo.dead-letters");
    assertThat(topics.labelled()).as("the topic the engine and the dashboard write labels to")
        .isEqualTo(dev.pulse.event.LabelledExamples.topicFor(s.scoredTopic())).isEqualTo("pulse.pipeline.local.demo.labelled");
    assertThat(s.scorerTier()).isEqualTo(dev.pulse.contract.ScoringTier.fast);
    assertThat(s.realTime()).isTrue();
    assertThat(s.crisisWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.alertRule().minVolume()).isEqualTo(30);
    assertThat(s.alertRule().crisisKeywords()).containsExactly("outage", "grounded", "stranded", "meltdown");
    assertThat(s.glossary().terms()).hasSize(4);
    assertThat(s.aggregatesLateness()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.vectorStore()).isEqualTo(dev.pulse.contract.VectorStoreKind.none);
  }

  @Test
  void withoutEmbeddingsTheLexiconTierScores() {
    PipelineSettings s = PipelineSettings.from(
        LocalRun.pipelineConf("localhost:9092", topics, 10, false, Path.of("/tmp/pulse-local-test")));
    assertThat(s.scorerTier()).isEqualTo(dev.pulse.contract.ScoringTier.lexicon);
    assertThat(s.crisisWindow()).isEqualTo(Duration.ofSeconds(10));
  }
}
