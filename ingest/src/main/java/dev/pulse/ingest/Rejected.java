package dev.pulse.ingest;

import java.nio.charset.StandardCharsets;

/**
 * An item a source or the sink could not turn into a post on the topic: what it was (for the log, never its
 * content), its original bytes (for the dead-letter topic), and why.
 *
 * @param what a short name of the item, e.g. {@code x post 186…} or {@code replay line 17}
 * @param key the record key for the dead letter (the post id where known), or null
 * @param original the item as the source gave it (a tweet's JSON, a replay line); may be large, is bounded when sent
 * @param reason why it was rejected
 * @param kind the metric reason: {@link #INVALID_RECORD} or {@link #TOO_LARGE}
 */
public record Rejected(String what, String key, byte[] original, String reason, String kind) {
  public static final String INVALID_RECORD = "invalid_record";
  public static final String TOO_LARGE = "too_large";

  public static Rejected invalid(String what, String key, String original, String reason) {
    return new Rejected(what, key, original == null ? new byte[0] : original.getBytes(StandardCharsets.UTF_8), reason,
        INVALID_RECORD);
  }
}
