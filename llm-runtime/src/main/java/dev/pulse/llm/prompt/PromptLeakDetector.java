package dev.pulse.llm.prompt;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Says whether a model's answer repeats its instructions: any run of {@value #WINDOW} consecutive
 * words of a system prompt. Short common phrases do not trip it; a quoted sentence does.
 */
public final class PromptLeakDetector {
  static final int WINDOW = 7;

  private PromptLeakDetector() {}

  public static boolean leaks(String answer, String systemPrompt) {
    String haystack = " " + String.join(" ", words(answer)) + " ";
    List<String> prompt = words(systemPrompt);
    for (int i = 0; i + WINDOW <= prompt.size(); i++) {
      String needle = " " + String.join(" ", prompt.subList(i, i + WINDOW)) + " ";
      if (haystack.contains(needle)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
        .filter(w -> !w.isEmpty())
        .toList();
  }
}
