package dev.pulse.contract;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations the way Kubernetes users write them, in the CRDs' grammar (Go's: "500ms", "30s", "5m", "1h30m",
 * "1.5h", what their CEL rule {@code ^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$} accepts), or as ISO-8601 ("PT30S"): whatever
 * the operator takes from a resource, the workloads read.
 */
public final class Durations {
  private static final Pattern GO = Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private Durations() {}

  /** The shortest form {@link #parse} reads back to the same duration: "500ms", "30s", "5m", "1h". */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms != 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0 && ms != 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0) return ms / 1000 + "s";
    return ms + "ms";
  }

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    String trimmed = text.trim();
    if (GO.matcher(trimmed).matches()) {
      BigDecimal millis = BigDecimal.ZERO;
      Matcher m = PART.matcher(trimmed);
      while (m.find()) {
        long unit = switch (m.group(2)) {
          case "ms" -> 1L;
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          default -> 3_600_000L;
        };
        millis = millis.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
      }
      return Duration.ofMillis(millis.longValue());
    }
    try {
      return Duration.parse(trimmed);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 500ms, 30s, 5m, 1h30m or PT30S)");
    }
  }
}
