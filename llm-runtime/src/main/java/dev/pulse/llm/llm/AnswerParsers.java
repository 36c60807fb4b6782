package dev.pulse.llm.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.llm.model.Sentiment;
import dev.pulse.llm.prompt.SystemPrompts;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Validates the three kinds of answer. Pure functions: text in, value or InvalidOutputException out. */
public final class AnswerParsers {
  static final int MAX_RATIONALE_CHARS = 240;
  static final int MAX_SUMMARY_CHARS = 600;
  static final int MAX_REPLY_CHARS = 500;

  private AnswerParsers() {}

  public static Verdict verdict(String answer) {
    JsonNode node =
        JsonAnswer.readObject(
            answer, Set.of("label", "score", "rationale", "crisis"), SystemPrompts.CLASSIFY);
    JsonNode label = node.get("label");
    if (!label.isTextual() || !Sentiment.WIRE_NAMES.contains(label.asText())) {
      throw new InvalidOutputException("label is not one of " + Sentiment.WIRE_NAMES);
    }
    JsonNode score = node.get("score");
    if (!score.isNumber() || !Double.isFinite(score.asDouble()) || score.asDouble() < 0 || score.asDouble() > 1) {
      throw new InvalidOutputException("score is not a confidence in [0, 1]");
    }
    if (!node.get("crisis").isBoolean()) {
      throw new InvalidOutputException("crisis is not a boolean");
    }
    return new Verdict(
        Sentiment.fromWire(label.asText()),
        score.asDouble(),
        JsonAnswer.text(node, "rationale", MAX_RATIONALE_CHARS),
        node.get("crisis").asBoolean());
  }

  public record Explanation(String summary, List<String> drivers) {}

  public static Explanation explanation(String answer) {
    JsonNode node = JsonAnswer.readObject(answer, Set.of("summary", "drivers"), SystemPrompts.EXPLAIN);
    JsonNode drivers = node.get("drivers");
    if (!drivers.isArray()) {
      throw new InvalidOutputException("drivers is not an array");
    }
    List<String> list = new ArrayList<>();
    for (JsonNode d : drivers) {
      if (!d.isTextual() || d.asText().isBlank()) {
        throw new InvalidOutputException("a driver is not a non-empty string");
      }
      if (list.size() < 5) {
        list.add(JsonAnswer.oneLine(d.asText(), 80));
      }
    }
    return new Explanation(JsonAnswer.text(node, "summary", MAX_SUMMARY_CHARS), List.copyOf(list));
  }

  public record Draft(String reply, String tone) {}

  public static Draft draft(String answer) {
    JsonNode node = JsonAnswer.readObject(answer, Set.of("reply", "tone"), SystemPrompts.DRAFT);
    JsonNode tone = node.get("tone");
    if (!tone.isTextual() || !OutputSchemas.TONES.contains(tone.asText())) {
      throw new InvalidOutputException("tone is not one of " + OutputSchemas.TONES);
    }
    return new Draft(JsonAnswer.text(node, "reply", MAX_REPLY_CHARS), tone.asText());
  }
}
