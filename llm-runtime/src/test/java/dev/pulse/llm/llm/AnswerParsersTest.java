package dev.pulse.llm.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.llm.model.Sentiment;
import dev.pulse.llm.prompt.SystemPrompts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnswerParsersTest {

  @Test
  void readsTheTrainersAnswerFormat() {
    // Exactly what trainer/pulse_trainer/prompt_format.py build_answer writes.
    Verdict v = AnswerParsers.verdict("{\"label\": \"negative\", \"score\": 0.83, \"rationale\": \"Angry about\\nthe outage.\", \"crisis\": true}");
    assertThat(v.label()).isEqualTo(Sentiment.NEGATIVE);
    assertThat(v.confidence()).isEqualTo(0.83);
    assertThat(v.polarity()).isEqualTo(-0.83);
    assertThat(v.rationale()).isEqualTo("Angry about the outage.");
    assertThat(v.crisis()).isTrue();
  }

  @Test
  void neutralHasZeroPolarity() {
    assertThat(AnswerParsers.verdict("{\"label\":\"neutral\",\"score\":0.7,\"rationale\":\"r\",\"crisis\":false}").polarity()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sure! positive",
        "{\"label\": \"positive\"}",
        "[1, 2]",
        "{\"label\":\"POSITIVE\",\"score\":0.9,\"rationale\":\"r\",\"crisis\":false}",
        "{\"label\":\"positive\",\"score\":1.5,\"rationale\":\"r\",\"crisis\":false}",
        "{\"label\":\"positive\",\"score\":\"high\",\"rationale\":\"r\",\"crisis\":false}",
        "{\"label\":\"positive\",\"score\":0.9,\"rationale\":\" \",\"crisis\":false}",
        "{\"label\":\"positive\",\"score\":0.9,\"rationale\":\"r\",\"crisis\":\"no\"}",
        "{\"label\":\"positive\",\"score\":0.9,\"rationale\":\"r\",\"crisis\":false,\"note\":\"hi\"}",
        "{\"label\":\"positive\",\"score\":0.9,\"rationale\":\"r\",\"crisis\":false} and more"
      })
  void rejectsAnythingElse(String answer) {
    assertThatThrownBy(() -> AnswerParsers.verdict(answer)).isInstanceOf(InvalidOutputException.class);
  }

  @Test
  void rejectsAnAnswerThatQuotesItsInstructions() {
    String quote = SystemPrompts.CLASSIFY.substring(0, 80).replace("\"", "'");
    assertThatThrownBy(() -> AnswerParsers.verdict("{\"label\":\"positive\",\"score\":0.9,\"rationale\":\"" + quote + "\",\"crisis\":false}"))
        .hasMessageContaining("system prompt");
  }

  @Test
  void validatesExplanationsAndDrafts() {
    assertThat(AnswerParsers.explanation("{\"summary\":\"Payments fail.\",\"drivers\":[\"checkout\",\"refunds\"]}").drivers())
        .containsExactly("checkout", "refunds");
    assertThatThrownBy(() -> AnswerParsers.explanation("{\"summary\":\"s\",\"drivers\":\"checkout\"}")).isInstanceOf(InvalidOutputException.class);
    assertThat(AnswerParsers.draft("{\"reply\":\"Sorry, we are on it.\",\"tone\":\"apologetic\"}").tone()).isEqualTo("apologetic");
    assertThatThrownBy(() -> AnswerParsers.draft("{\"reply\":\"x\",\"tone\":\"sarcastic\"}")).isInstanceOf(InvalidOutputException.class);
  }
}
