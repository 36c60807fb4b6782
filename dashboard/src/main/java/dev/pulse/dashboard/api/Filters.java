package dev.pulse.dashboard.api;

import dev.pulse.event.Label;
import dev.pulse.event.Source;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and checks query parameters; anything malformed becomes a {@link BadRequestException} naming the parameter. */
final class Filters {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s|m|h|d)");
  private static final Pattern GEO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,31}");

  private Filters() {}

  static Duration window(String value, Duration fallback, Duration max) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new BadRequestException("window '" + value + "' is not a duration: use e.g. 30s, 15m, 1h or 24h");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.isZero()) {
      throw new BadRequestException("window must be longer than 0");
    }
    if (d.compareTo(max) > 0) {
      throw new BadRequestException("window " + value + " is longer than the " + max.toHours() + "h the dashboard keeps");
    }
    return d;
  }

  /** A source name (any case), or null for all. */
  static Source source(String value) {
    if (value == null || value.isBlank() || value.equals("*")) {
      return null;
    }
    try {
      return Source.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("unknown source '" + value + "': expected one of "
          + Arrays.toString(Source.values()));
    }
  }

  static Label sentiment(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Label.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("unknown sentiment '" + value + "': expected one of "
          + Arrays.toString(Label.values()));
    }
  }

  /** A geo cell as the aggregates name it (the local run uses country codes, e.g. GB), or null for all. */
  static String geo(String value) {
    if (value == null || value.isBlank() || value.equals("*")) {
      return null;
    }
    if (!GEO.matcher(value).matches()) {
      throw new BadRequestException("geo '" + value + "' is not a geo cell: 1-32 letters, digits, ':', '.', '_' or '-'");
    }
    return value;
  }

  static int nonNegative(Integer value, int fallback, String name) {
    if (value == null) {
      return fallback;
    }
    if (value < 0) {
      throw new BadRequestException(name + " must be 0 or more, got " + value);
    }
    return value;
  }

  static int size(Integer value, int fallback, int max, String name) {
    if (value == null) {
      return fallback;
    }
    if (value < 1 || value > max) {
      throw new BadRequestException(name + " must be between 1 and " + max + ", got " + value);
    }
    return value;
  }
}
