package dev.pulse.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Base64;

/**
 * A record a stage could not use, kept whole: the original bytes (base64, so any bytes survive JSON), why it was
 * rejected and where it was read from, so it can be inspected and replayed.
 */
public record DeadLetter(
    @JsonProperty(required = true) int schemaVersion,
    String originalBase64,
    String error,
    String sourceTopic,
    @JsonProperty(required = true) int partition,
    @JsonProperty(required = true) long offset,
    Instant failedAt) {

  public DeadLetter {
    SchemaVersion.check(schemaVersion);
    Validate.notNull(originalBase64, "originalBase64");
    Validate.notBlank(error, "error");
    Validate.notNull(failedAt, "failedAt");
  }

  public static DeadLetter of(byte[] original, String error, String sourceTopic, int partition, long offset,
      Instant failedAt) {
    String encoded = Base64.getEncoder().encodeToString(original == null ? new byte[0] : original);
    return new DeadLetter(SchemaVersion.CURRENT, encoded, error, sourceTopic, partition, offset, failedAt);
  }

  @JsonIgnore
  public byte[] original() {
    return Base64.getDecoder().decode(originalBase64);
  }
}
