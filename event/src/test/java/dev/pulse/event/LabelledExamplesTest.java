package dev.pulse.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What goes to the labelled topic: confident disagreements of the LLM, and analysts' corrections. */
class LabelledExamplesTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Post POST = Post.of("x:1", Source.X, "acme-x", "h", "my bag is lost", "en", T0, T0, null, null,
      null);
  private static final ScoredPost LIGHT = ScoredPost.of(POST, Label.NEUTRAL, 0.0, 0.4, ScoredBy.LIGHT, true, null, T0);

  private static ScoredPost llm(Label label, double confidence) {
    return ScoredPost.of(POST, label, label == Label.NEGATIVE ? -0.8 : 0.0, confidence, ScoredBy.LLM, true, "why", T0);
  }

  @Test
  void onlyAConfidentLlmVerdictAgainstTheLightLabelIsAnExample() {
    assertThat(LabelledExamples.confidentDisagreement(LIGHT, llm(Label.NEGATIVE, 0.9))).isTrue();
    assertThat(LabelledExamples.confidentDisagreement(LIGHT, llm(Label.NEGATIVE, 0.8))).isTrue();
    assertThat(LabelledExamples.confidentDisagreement(LIGHT, llm(Label.NEGATIVE, 0.75))).as("unsure").isFalse();
    assertThat(LabelledExamples.confidentDisagreement(LIGHT, llm(Label.NEUTRAL, 0.95))).as("agrees").isFalse();
    ScoredPost fallback = ScoredPost.of(POST, Label.NEGATIVE, -0.5, 0.9, ScoredBy.FALLBACK, true, "budget", T0);
    assertThat(LabelledExamples.confidentDisagreement(LIGHT, fallback)).as("no LLM verdict").isFalse();
  }

  @Test
  void recordsAreLinesOfTheTrainersDatasetBesideTheScoredTopic() throws Exception {
    assertThat(LabelledExamples.topicFor("pulse.pipeline.brands.acme.scored"))
        .isEqualTo("pulse.pipeline.brands.acme.labelled");
    assertThat(LabelledExamples.topicFor("scored-x")).isEqualTo("scored-x.labelled");

    JsonNode analyst = new ObjectMapper().readTree(LabelledExamples.fromAnalyst(LIGHT, Label.NEGATIVE, "dashboard-client",
        T0));
    assertThat(analyst.path("text").asText()).isEqualTo("my bag is lost");
    assertThat(analyst.path("label").asText()).isEqualTo("negative");
    assertThat(analyst.path("source").asText()).isEqualTo("analyst");
    assertThat(analyst.path("lightLabel").asText()).isEqualTo("neutral");
    assertThat(analyst.path("lightConfidence").asDouble()).isEqualTo(0.4);
    assertThat(analyst.path("was").asText()).isEqualTo("neutral");

    JsonNode overLlm = new ObjectMapper().readTree(LabelledExamples.fromAnalyst(llm(Label.POSITIVE, 0.9),
        Label.NEGATIVE, null, T0));
    assertThat(overLlm.has("lightLabel")).as("the light verdict is not known any more").isFalse();
    assertThat(overLlm.path("wasScoredBy").asText()).isEqualTo("LLM");
  }

  @Test
  void aScoredTopicNearKafkasLimitGivesALabelledTopicWithinIt() {
    String head = "pulse.pipeline.ns." + "n".repeat(224); // 242 characters: .scored fits exactly, .labelled not
    String scored = head + ".scored";
    assertThat(scored).hasSize(249);
    String labelled = LabelledExamples.topicFor(scored);
    assertThat(labelled).hasSizeLessThanOrEqualTo(249).endsWith(".labelled").matches("[a-zA-Z0-9._-]+")
        .startsWith("pulse.pipeline.ns.nnn").isEqualTo(LabelledExamples.topicFor(scored));
    assertThat(LabelledExamples.topicFor(head.substring(0, 241) + "m.scored")).as("another pipeline, same cut")
        .hasSizeLessThanOrEqualTo(249).isNotEqualTo(labelled);
    String fits = "pulse.pipeline.ns." + "n".repeat(222) + ".scored"; // 247: .labelled makes 249
    assertThat(LabelledExamples.topicFor(fits)).isEqualTo(fits.replace(".scored", ".labelled")).hasSize(249);
  }
}
