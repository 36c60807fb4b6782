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
  private static final Pattern CELL = Pattern.compile("(-?\\d{1,2}(?:\\.0)?),(-?\\d{1,3}(?:\\.0)?)");
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
      throw new BadRequestException("window " + value + " is longer than the dashboard's limit of " + format(max)
          + " (the history it keeps): ask for " + format(max) + " or less");
    }
    return d;
  }

  /** A duration as the window parameter spells it: 24h, 15m, 30s. */
  static String format(Duration d) {
    long s = d.toSeconds();
    if (s % 86_400 == 0 && s >= 172_800) {
      return s / 86_400 + "d";
    }
    return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  /** A brand the pipeline tracks (any case, its declared name is returned), or null for all. */
  static String brand(String value, dev.pulse.dashboard.brand.BrandCatalog catalog) {
    if (value == null || value.isBlank() || value.equals("*")) {
      return null;
    }
    var b = catalog.named(value.trim());
    if (b == null) {
      throw new BadRequestException("unknown brand '" + value + "': this pipeline tracks "
          + (catalog.isEmpty() ? "no brands" : String.join(", ", catalog.names())));
    }
    return b.name();
  }

  /** An ISO-8601 instant (2026-12-06T07:50:00Z) or epoch milliseconds, or null. */
  static java.time.Instant instant(String value, String name) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return value.chars().allMatch(Character::isDigit) ? java.time.Instant.ofEpochMilli(Long.parseLong(value))
          : java.time.Instant.parse(value.trim());
    } catch (RuntimeException e) {
      throw new BadRequestException(name + " '" + value + "' is not an instant: use ISO-8601 (2026-12-06T07:50:00Z)"
          + " or epoch milliseconds");
    }
  }

  /** One word of a post (as the word cloud shows it), lower-cased, or null. */
  static String term(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String t = value.trim().toLowerCase(Locale.ROOT);
    if (t.length() > 64 || PostFilter.WORDS.matcher(t).find()) {
      throw new BadRequestException("term '" + value + "' must be one word of at most 64 characters");
    }
    return t;
  }

  /** A 2-degree map cell by its centre, "51,-1" (odd whole degrees), or null. */
  static double[] cell(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Matcher m = CELL.matcher(value.trim());
    if (!m.matches()) {
      throw new BadRequestException("cell '" + value + "' is not a map cell: its centre as lat,lon, e.g. 51,-1");
    }
    return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
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
