package dev.pulse.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed settings: what a writer puts a reader takes back, defaults in one place, and every error names its key. */
class ConfigOptionTest {

  @Test
  void everySettingWrittenAsItsDefaultReadsBackTheSame() {
    Map<String, String> conf = new LinkedHashMap<>();
    for (ConfigOption<?> o : SparkJobOptions.ALL) {
      if (o.defaultValue() != null) o.write(conf, null);
    }
    for (ConfigOption<?> o : SparkJobOptions.ALL) {
      if (o.defaultValue() != null) assertThat((Object) o.read(conf)).as(o.key()).isEqualTo(o.defaultValue());
    }
    assertThat(conf).containsEntry("spark.pulse.trigger.interval", "1s").containsEntry("spark.pulse.watermark", "10m")
        .containsEntry("spark.pulse.scoring.tier", "fast").containsEntry("spark.pulse.trigger.mode", "RealTime");
  }

  @Test
  void keysAreUniqueDescribedAndUnderThePrefix() {
    List<String> keys = SparkJobOptions.ALL.stream().map(ConfigOption::key).toList();
    assertThat(keys).doesNotHaveDuplicates().allMatch(k -> k.startsWith(SparkJobOptions.PREFIX));
    assertThat(SparkJobOptions.ALL).allSatisfy(o -> assertThat(o.description()).isNotBlank());
  }

  @Test
  void absentReadsTheDefaultOrNullAndARequiredOneIsNamed() {
    assertThat(SparkJobOptions.CRISIS_WINDOW.read(Map.of())).isEqualTo(Duration.ofMinutes(5));
    assertThat(SparkJobOptions.LLM_GATEWAY_URL.read(Map.of("spark.pulse.llm.gatewayUrl", " "))).isNull();
    assertThatThrownBy(() -> SparkJobOptions.PIPELINE.read(Map.of()))
        .hasMessage("missing setting spark.pulse.pipeline");
  }

  @Test
  void badValuesAreNamedOnReadAndOnWrite() {
    assertThatThrownBy(() -> SparkJobOptions.SCORING_TIER.read(Map.of("spark.pulse.scoring.tier", "medium")))
        .hasMessage("spark.pulse.scoring.tier must be fast, full or lexicon: 'medium'");
    assertThatThrownBy(() -> SparkJobOptions.CRISIS_MIN_VOLUME.read(Map.of("spark.pulse.crisis.minVolume", "lots")))
        .hasMessage("spark.pulse.crisis.minVolume is not a number: 'lots'");
    assertThatThrownBy(() -> SparkJobOptions.QDRANT_TLS.read(Map.of("spark.pulse.qdrant.tls", "yes")))
        .hasMessage("spark.pulse.qdrant.tls must be true or false: 'yes'");
    assertThatThrownBy(() -> SparkJobOptions.WATERMARK.read(Map.of("spark.pulse.watermark", "soon")))
        .hasMessageStartingWith("spark.pulse.watermark: not a duration");
    Map<String, String> conf = new HashMap<>();
    assertThatThrownBy(() -> SparkJobOptions.ESCALATION_THRESHOLD.write(conf, 1.5))
        .hasMessage("spark.pulse.scoring.escalationThreshold must be in [0, 1]: 1.5");
    assertThatThrownBy(() -> SparkJobOptions.CHECKPOINT_INTERVAL.writeText(conf, "2s"))
        .hasMessage("spark.pulse.trigger.checkpointInterval must be at least 5s: PT2S");
    assertThat(conf).isEmpty();
  }

  @Test
  void durationsAndListsRoundTrip() {
    for (String d : List.of("500ms", "30s", "5m", "1h", "90s")) {
      assertThat(Durations.format(Durations.parse(d))).isEqualTo(d);
    }
    assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
    // The CRDs' grammar (Go durations, as their CEL rule checks them) reads the same on the workloads' side.
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("2m0.5s")).isEqualTo(Duration.ofMillis(120_500));
    assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("not a duration");
    Map<String, String> conf = new HashMap<>();
    SparkJobOptions.INPUT_TOPICS.write(conf, List.of("a", "b"));
    assertThat(conf).containsEntry("spark.pulse.topics.input", "a,b");
    assertThat(SparkJobOptions.INPUT_TOPICS.read(Map.of("spark.pulse.topics.input", " a , ,b"))).containsExactly("a", "b");
    assertThat(SparkJobOptions.INPUT_TOPICS.read(Map.of("spark.pulse.topics.input", ","))).isEmpty();
  }
}
