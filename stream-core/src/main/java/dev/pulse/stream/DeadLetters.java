package dev.pulse.stream;

import dev.pulse.event.DeadLetter;
import java.time.Instant;
import java.util.Arrays;

/**
 * The dead letters the stream core writes: the event schema's {@link DeadLetter}, its original bytes bounded as the
 * ingester bounds them. A record over {@link #MAX_ORIGINAL_BYTES} keeps its first bytes and its error says the
 * original size, so a dead letter is never itself too large to write (base64 makes it about 4/3 of the bytes kept,
 * well under Kafka's 1 MB default) and the batch that holds it never fails on it, forever.
 */
public final class DeadLetters {
  /** Original bytes kept per dead letter: the ingester's bound too. */
  public static final int MAX_ORIGINAL_BYTES = 64 * 1024;

  private DeadLetters() {}

  public static DeadLetter of(byte[] original, String error, String topic, int partition, long offset, Instant at) {
    byte[] kept = original == null ? new byte[0] : original;
    String why = error;
    if (kept.length > MAX_ORIGINAL_BYTES) {
      why += " [original truncated to its first " + MAX_ORIGINAL_BYTES + " of " + kept.length + " bytes]";
      kept = Arrays.copyOf(kept, MAX_ORIGINAL_BYTES);
    }
    return DeadLetter.of(kept, why, topic, partition, offset, at);
  }
}
