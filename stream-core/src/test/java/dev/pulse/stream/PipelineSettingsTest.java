package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.scoring.learned.EmbeddingSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract with the operator: the spark.pulse.* keys its SparkApplication carries, as it writes them. */
public class PipelineSettingsTest {

  /**
   * What operator/…/SparkApplications.sparkConf writes for a pipeline "acme" with an LLM and a glossary: a fixture
   * for the job's tests. That the operator's real output is what the job reads is checked where both are, in the
   * contract-tests' WorkloadContractTest (every sample rendered, then read by PipelineSettings.from).
   */
  public static Map<String, String> operatorConf() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("spark.pulse.pipeline", "acme");
    c.put("spark.pulse.namespace", "brands");
    c.put("spark.pulse.kafka.bootstrapServers", "pulse-kafka-kafka-bootstrap:9092");
    c.put("spark.pulse.topics.input", "pulse.acme-x.posts,pulse.acme-news.posts");
    c.put("spark.pulse.topics.scored", "pulse.acme.scored");
    c.put("spark.pulse.topics.aggregates", "pulse.acme.aggregates");
    c.put("spark.pulse.topics.alerts", "pulse.acme.alerts");
    c.put("spark.pulse.topics.deadLetters", "pulse.acme.dead-letters");
    c.put("spark.pulse.trigger.interval", "2s");
    c.put("spark.pulse.trigger.checkpointInterval", "45s");
    c.put("spark.pulse.trigger.mode", "MicroBatch");
    c.put("spark.pulse.watermark", "10m");
    c.put("spark.pulse.checkpointLocation", "file:///checkpoints/acme");
    c.put("spark.sql.streaming.checkpointLocation", "file:///checkpoints/acme");
    c.put("spark.pulse.scoring.tier", "fast");
    c.put("spark.pulse.scoring.escalationThreshold", "0.6");
    c.put("spark.pulse.crisis.window", "5m");
    c.put("spark.pulse.crisis.minVolume", "50");
    c.put("spark.pulse.crisis.negativeRatio", "0.6");
    c.put("spark.pulse.crisis.spikeFactor", "3.0");
    c.put("spark.pulse.glossary",
        "{\"terms\":[{\"term\":\"sick\",\"polarity\":0.6}],\"crisisKeywords\":[\"recall\",\"data breach\"]}");
    c.put("spark.pulse.llm.gatewayUrl", "http://acme-llm-gateway.brands.svc:8090");
    c.put("spark.pulse.llm.timeout", "2s");
    c.put("spark.pulse.qdrant.host", "qdrant.vector.svc");
    c.put("spark.pulse.qdrant.grpcPort", "6334");
    c.put("spark.pulse.qdrant.tls", "false");
    c.put("spark.pulse.qdrant.collection", "acme-posts");
    c.put("spark.ui.prometheus.enabled", "true");
    return c;
  }

  @Test
  void readsEveryKeyTheOperatorWrites() {
    PipelineSettings s = PipelineSettings.from(operatorConf());
    assertThat(s.pipeline()).isEqualTo("acme");
    assertThat(s.bootstrapServers()).isEqualTo("pulse-kafka-kafka-bootstrap:9092");
    assertThat(s.inputTopics()).containsExactly("pulse.acme-x.posts", "pulse.acme-news.posts");
    assertThat(List.of(s.scoredTopic(), s.aggregatesTopic(), s.alertsTopic(), s.deadLetterTopic())).containsExactly(
        "pulse.acme.scored", "pulse.acme.aggregates", "pulse.acme.alerts", "pulse.acme.dead-letters");
    assertThat(s.triggerInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.realTime()).isFalse();
    assertThat(s.watermark()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.checkpointLocation()).isEqualTo("file:///checkpoints/acme");
    assertThat(s.escalationThreshold()).isEqualTo(0.6);
    assertThat(s.glossary().terms()).hasSize(1);
    assertThat(s.glossary().crisisKeywords()).containsExactly("recall", "data breach");
    AlertRule rule = s.alertRule();
    assertThat(rule.window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(rule.minVolume()).isEqualTo(50);
    assertThat(rule.negativeRatio()).isEqualTo(0.6);
    assertThat(rule.spikeFactor()).isEqualTo(3.0);
    assertThat(rule.crisisKeywords()).containsExactly("recall", "data breach");
    assertThat(s.gatewayUrl()).isEqualTo("http://acme-llm-gateway.brands.svc:8090");
    assertThat(s.llmTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.qdrantHost()).isEqualTo("qdrant.vector.svc");
    assertThat(s.qdrantPort()).isEqualTo(6334);
    assertThat(s.qdrantCollection()).isEqualTo("acme-posts");
    assertThat(s.vectorStore()).isEqualTo(dev.pulse.contract.VectorStoreKind.qdrant);
    assertThat(s.scorerTier()).isEqualTo(dev.pulse.contract.ScoringTier.fast);
    assertThat(s.embedding()).isEqualTo(EmbeddingSettings.DEFAULT);
    assertThat(s.dedupMaxIds()).isEqualTo(RecentIds.DEFAULT_MAX_IDS);
    assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void theEmbeddingAndDedupSettingsAreRead() {
    Map<String, String> c = new HashMap<>(operatorConf());
    c.put("spark.pulse.embedding.model", "fp32");
    c.put("spark.pulse.embedding.maxTokens", "128");
    c.put("spark.pulse.embedding.cacheSize", "0");
    c.put("spark.pulse.dedup.maxIds", "5000");
    PipelineSettings s = PipelineSettings.from(c);
    assertThat(s.embedding()).isEqualTo(new EmbeddingSettings("fp32", 128, 0));
    assertThat(s.dedupMaxIds()).isEqualTo(5000);
    c.put("spark.pulse.embedding.model", "fp16");
    assertThatThrownBy(() -> PipelineSettings.from(c))
        .hasMessage("spark.pulse.embedding.model must be int8 or fp32: 'fp16'");
    c.put("spark.pulse.embedding.model", "int8");
    c.put("spark.pulse.dedup.maxIds", "0");
    assertThatThrownBy(() -> PipelineSettings.from(c)).hasMessage("spark.pulse.dedup.maxIds must be at least 1: 0");
    c.put("spark.pulse.dedup.maxIds", "10");
    c.put("spark.pulse.trigger.checkpointInterval", "2s");
    assertThatThrownBy(() -> PipelineSettings.from(c))
        .hasMessage("spark.pulse.trigger.checkpointInterval must be at least 5s: PT2S");
  }

  @Test
  void withoutAnLlmBlockNothingIsEscalated() {
    Map<String, String> c = new HashMap<>(operatorConf());
    c.remove("spark.pulse.llm.gatewayUrl");
    c.remove("spark.pulse.llm.timeout");
    PipelineSettings s = PipelineSettings.from(c);
    assertThat(s.gatewayUrl()).isNull();
    assertThat(PostProcessor.of(s)).isNotNull();
  }

  @Test
  void aMistakeIsNamed() {
    Map<String, String> c = new HashMap<>(operatorConf());
    c.remove("spark.pulse.topics.scored");
    assertThatThrownBy(() -> PipelineSettings.from(c)).hasMessage("missing setting spark.pulse.topics.scored");
    Map<String, String> d = new HashMap<>(operatorConf());
    d.put("spark.pulse.trigger.interval", "soon");
    assertThatThrownBy(() -> PipelineSettings.from(d)).hasMessageStartingWith("spark.pulse.trigger.interval:");
    Map<String, String> e = new HashMap<>(operatorConf());
    e.put("spark.pulse.trigger.mode", "Continuous");
    assertThatThrownBy(() -> PipelineSettings.from(e)).hasMessageContaining("MicroBatch or RealTime");
  }
}
