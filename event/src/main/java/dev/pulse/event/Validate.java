package dev.pulse.event;

/** Field checks whose messages name the field, so a dead letter says what was wrong. */
final class Validate {
  private Validate() {}

  static void notBlank(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing required field '" + field + "'");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException("field '" + field + "' is blank");
    }
  }

  static void notNull(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing required field '" + field + "'");
    }
  }

  static void inRange(double value, double min, double max, String field) {
    if (Double.isNaN(value) || value < min || value > max) {
      throw new IllegalArgumentException("field '" + field + "' out of range [" + min + ", " + max + "]: " + value);
    }
  }

  static void notNegative(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException("field '" + field + "' is negative: " + value);
    }
  }
}
