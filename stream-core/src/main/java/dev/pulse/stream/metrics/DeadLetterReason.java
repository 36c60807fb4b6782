package dev.pulse.stream.metrics;

import java.util.Locale;

/**
 * Why a record went to the dead-letter topic, as a label value: the dead letter itself keeps the full error text,
 * which is free text and must never become a label.
 */
public enum DeadLetterReason {
  /** An empty Kafka record. */
  EMPTY_RECORD,
  /** Not JSON, or not a JSON object. */
  NOT_JSON,
  /** A schema version this build does not read. */
  UNSUPPORTED_SCHEMA,
  /** JSON, but not a valid post (a missing or mistyped field). */
  INVALID_POST,
  /** A valid post with no text left after cleaning. */
  EMPTY_TEXT,
  /** A valid post whose scoring (or escalation, or vector upsert) threw: the post alone is set aside. */
  SCORING_FAILED;

  /**
   * The reason for a record that did not parse: decided on the record's shape and the start of the parse error
   * ({@code dev.pulse.event.EventJson}'s wording), never on the rest of the free text.
   */
  public static DeadLetterReason ofParseError(byte[] value, String error) {
    if (value == null || value.length == 0) return EMPTY_RECORD;
    String e = error == null ? "" : error.toLowerCase(Locale.ROOT);
    if (e.startsWith("unsupported schemaversion")) return UNSUPPORTED_SCHEMA;
    int i = 0;
    while (i < value.length && Character.isWhitespace(value[i])) i++;
    if (i == value.length || value[i] != '{' || e.startsWith("not a json object")) return NOT_JSON;
    return INVALID_POST;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
