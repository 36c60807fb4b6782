package dev.pulse.operator.support;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the CRDs write them (Go syntax: 500ms, 30s, 5m, 1h30m, 1.5h), as CEL's duration() reads them. */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private GoDuration() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher m = PART.matcher(text);
    BigDecimal millis = BigDecimal.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      BigDecimal value = new BigDecimal(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1_000L;
        case "m" -> 60_000L;
        default -> 3_600_000L;
      };
      millis = millis.add(value.multiply(BigDecimal.valueOf(unit)));
      end = m.end();
    }
    if (end != text.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 30s, 5m or 1h30m");
    }
    return Duration.ofMillis(millis.longValue());
  }
}
