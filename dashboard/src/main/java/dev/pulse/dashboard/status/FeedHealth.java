package dev.pulse.dashboard.status;

/**
 * Whether data still flows in: STARTING (no answer from Kafka yet), UP, OUT_OF_SERVICE (Kafka has not answered for a
 * while: the page shows what was read before), DOWN (the consumer thread died: nothing will be read until a restart).
 */
public record FeedHealth(State state, String message) {
  public enum State { STARTING, UP, OUT_OF_SERVICE, DOWN }

  /** Where the feed's health comes from (the Kafka consumer). */
  public interface Source {
    FeedHealth feedHealth();
  }
}
