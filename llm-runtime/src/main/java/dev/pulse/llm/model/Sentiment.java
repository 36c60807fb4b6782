package dev.pulse.llm.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The three sentiment classes, spelled on the wire as TweetEval spells them: lower case. */
public enum Sentiment {
  NEGATIVE,
  NEUTRAL,
  POSITIVE;

  /** The wire names, in order; also the enum of the structured-output schema sent to vLLM. */
  public static final List<String> WIRE_NAMES =
      Arrays.stream(values()).map(Sentiment::wireName).toList();

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a label from a request, in any case (the pipeline's own enum is upper case); anything else is
   * an error the caller reports. The LLM's answers are held to the exact wire names elsewhere.
   */
  @JsonCreator
  public static Sentiment fromWire(String value) {
    for (Sentiment s : values()) {
      if (value != null && s.wireName().equals(value.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "label '" + value + "' is not one of " + String.join(", ", WIRE_NAMES));
  }

  /** The label a polarity score implies, with a small neutral band around zero. */
  public static Sentiment ofScore(double score) {
    if (score > 0.1) {
      return POSITIVE;
    }
    return score < -0.1 ? NEGATIVE : NEUTRAL;
  }
}
