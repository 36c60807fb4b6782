package dev.pulse.event;

/** The outcome of parsing one record: the value, or the reason it is invalid (what a dead letter carries). */
public sealed interface Parsed<T> {
  record Valid<T>(T value) implements Parsed<T> {}

  record Invalid<T>(String reason) implements Parsed<T> {}

  default boolean isValid() {
    return this instanceof Valid<T>;
  }
}
