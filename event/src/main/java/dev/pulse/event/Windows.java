package dev.pulse.event;

import java.time.Instant;

final class Windows {
  private Windows() {}

  static void check(Instant start, Instant end) {
    Validate.notNull(start, "windowStart");
    Validate.notNull(end, "windowEnd");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("windowEnd " + end + " is not after windowStart " + start);
    }
  }
}
