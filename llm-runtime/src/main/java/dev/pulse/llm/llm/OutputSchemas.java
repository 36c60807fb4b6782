package dev.pulse.llm.llm;

import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.pulse.llm.model.Sentiment;
import java.util.List;

/**
 * The JSON schemas sent as {@code response_format: {type: json_schema}}: vLLM turns them into guided
 * decoding, so the model cannot answer outside them whatever a post says. The answers are still
 * validated, because not every deployment enforces the schema.
 */
public final class OutputSchemas {
  public static final List<String> TONES = List.of("apologetic", "informative", "grateful");

  public static final ResponseFormat CLASSIFICATION =
      json(
          "pulse_classification",
          JsonObjectSchema.builder()
              .addEnumProperty("label", Sentiment.WIRE_NAMES)
              // A confidence: bounded in the schema itself, so constrained decoding cannot answer 10 (a 135M model does).
              .addProperty("score", JsonRawSchema.from("{\"type\": \"number\", \"minimum\": 0, \"maximum\": 1}"))
              // One short sentence: bounded, so a small model cannot ramble until max_tokens cuts the JSON.
              .addProperty("rationale", JsonRawSchema.from("{\"type\": \"string\", \"maxLength\": 200}"))
              .addBooleanProperty("crisis")
              .required("label", "score", "rationale", "crisis")
              .additionalProperties(false)
              .build());

  public static final ResponseFormat EXPLANATION =
      json(
          "pulse_alert_explanation",
          JsonObjectSchema.builder()
              .addStringProperty("summary")
              .addProperty(
                  "drivers", JsonArraySchema.builder().items(new JsonStringSchema()).build())
              .required("summary", "drivers")
              .additionalProperties(false)
              .build());

  public static final ResponseFormat DRAFT =
      json(
          "pulse_response_draft",
          JsonObjectSchema.builder()
              .addStringProperty("reply")
              .addEnumProperty("tone", TONES)
              .required("reply", "tone")
              .additionalProperties(false)
              .build());

  private OutputSchemas() {}

  private static ResponseFormat json(String name, JsonObjectSchema root) {
    return ResponseFormat.builder()
        .type(ResponseFormatType.JSON)
        .jsonSchema(JsonSchema.builder().name(name).rootElement(root).build())
        .build();
  }
}
