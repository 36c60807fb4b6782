package dev.pulse.llm.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.llm.prompt.PromptLeakDetector;
import java.util.Iterator;
import java.util.Set;

/** Strict reading of a model's JSON answer: one object, exactly the expected keys, no leaked prompt. */
final class JsonAnswer {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonAnswer() {}

  static JsonNode readObject(String answer, Set<String> keys, String systemPrompt) {
    JsonNode node;
    try {
      node = JSON.readTree(answer.strip());
    } catch (JsonProcessingException e) {
      throw new InvalidOutputException("answer is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new InvalidOutputException("answer is not a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!keys.contains(key)) {
        throw new InvalidOutputException("answer has an unexpected key '" + key + "'");
      }
    }
    for (String key : keys) {
      if (!node.has(key)) {
        throw new InvalidOutputException("answer lacks '" + key + "'");
      }
    }
    if (PromptLeakDetector.leaks(answer, systemPrompt)) {
      throw new InvalidOutputException("answer repeats the system prompt");
    }
    return node;
  }

  static String text(JsonNode node, String key, int maxChars) {
    JsonNode v = node.get(key);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new InvalidOutputException("'" + key + "' is not a non-empty string");
    }
    return oneLine(v.asText(), maxChars);
  }

  /** Collapses line breaks (an answer is shown in one table cell) and caps the length. */
  static String oneLine(String text, int maxChars) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= maxChars ? line : line.substring(0, maxChars - 1) + "…";
  }
}
