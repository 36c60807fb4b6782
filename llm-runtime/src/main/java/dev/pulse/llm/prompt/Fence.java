package dev.pulse.llm.prompt;

import java.util.regex.Pattern;

/**
 * Fences untrusted content between a line {@code <<<NAME} and a line {@code NAME>>>}, the format the
 * QLoRA trainer fine-tunes on (trainer/pulse_trainer/prompt_format.py, ported rule for rule).
 *
 * <p>Every run of three or more {@code <} or {@code >} in the content becomes two, so no content can
 * write a fence line of its own and step outside its block.
 */
public final class Fence {
  private static final Pattern RUN_OF_OPEN = Pattern.compile("<{3,}");
  private static final Pattern RUN_OF_CLOSE = Pattern.compile(">{3,}");

  private Fence() {}

  public static String fence(String name, String content) {
    return "<<<" + name + "\n" + defuse(content) + "\n" + name + ">>>";
  }

  /** Collapses the runs that could forge a fence line. */
  public static String defuse(String content) {
    return RUN_OF_CLOSE.matcher(RUN_OF_OPEN.matcher(content).replaceAll("<<")).replaceAll(">>");
  }

  /**
   * The trainer's {@code sanitize_post}: strip, cut to {@code maxChars} code points (Python slices by
   * code point), defuse.
   */
  public static String sanitizePost(String text, int maxChars) {
    String stripped = text.strip();
    if (stripped.codePointCount(0, stripped.length()) > maxChars) {
      stripped = stripped.substring(0, stripped.offsetByCodePoints(0, maxChars));
    }
    return defuse(stripped);
  }
}
