package dev.pulse.ingest;

import dev.pulse.event.DeadLetter;
import dev.pulse.event.EventJson;
import java.time.Instant;
import java.util.Arrays;

/**
 * Dead letters the ingester writes: the event schema's {@link DeadLetter} with the original bytes, bounded. An item
 * over {@link #MAX_ORIGINAL_BYTES} keeps only its first bytes and its error says the original size, so a dead letter
 * can never itself be too large to write (the reason a record is dead-lettered may be its size).
 */
public final class DeadLetters {
  /** Original bytes kept per dead letter; base64 makes the record about 4/3 of this. */
  public static final int MAX_ORIGINAL_BYTES = 64 * 1024;

  private DeadLetters() {}

  /**
   * @param feed the SourceFeed
   * @param topic the topic the item was meant for (the feed's topic)
   */
  public static byte[] encode(Rejected item, String feed, String topic, Instant at) {
    byte[] original = item.original();
    String error = "ingest " + feed + ": " + item.what() + ": " + item.reason();
    if (original.length > MAX_ORIGINAL_BYTES) {
      error += " [original truncated to its first " + MAX_ORIGINAL_BYTES + " of " + original.length + " bytes]";
      original = Arrays.copyOf(original, MAX_ORIGINAL_BYTES);
    }
    // Not read from a partition: -1 / -1 say so (the Spark job's dead letters carry the offset they were read at).
    return EventJson.toBytes(DeadLetter.of(original, error, topic, -1, -1L, at));
  }
}
