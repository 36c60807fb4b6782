package dev.pulse.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Words of a post for top terms and crisis keywords: lower case, letters and digits (hashtags and mentions read as
 * their word), at least 3 characters, English stop words left out. Pure.
 */
public final class Terms {
  private static final Set<String> STOP = Set.of("the", "and", "for", "are", "but", "not", "you", "all", "any",
      "can", "had", "her", "was", "one", "our", "out", "day", "get", "has", "him", "his", "how", "man", "new", "now",
      "old", "see", "two", "way", "who", "its", "did", "yes", "let", "put", "say", "she", "too", "use", "this",
      "that", "with", "have", "from", "they", "will", "would", "there", "their", "what", "about", "which", "when",
      "your", "just", "been", "were", "than", "then", "them", "these", "some", "into", "also", "more", "very",
      "i'm", "it's", "don't", "dont", "cant", "can't", "im", "amp", "http", "https", "www", "com", "rt", "via",
      "why", "where", "here", "again", "still", "does", "being", "over", "only", "other", "such", "even", "much",
      "because", "while", "could", "should", "after", "before", "those", "each", "same", "like", "got", "off");

  private Terms() {}

  public static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    String lower = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i <= lower.length(); i++) {
      char c = i < lower.length() ? lower.charAt(i) : ' ';
      if (Character.isLetterOrDigit(c) || (c == '\'' && word.length() > 0)) {
        word.append(c);
      } else if (word.length() > 0) {
        String w = word.toString();
        if (w.endsWith("'")) w = w.substring(0, w.length() - 1);
        if (w.length() >= 3 && !STOP.contains(w) && !w.chars().allMatch(Character::isDigit)) out.add(w);
        word.setLength(0);
      }
    }
    return out;
  }

  /** True when one of the keywords (one or more words) occurs in the text on word boundaries. */
  public static boolean mentionsAny(String text, List<String> keywords) {
    if (keywords.isEmpty()) return false;
    String padded = " " + text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ") + " ";
    for (String k : keywords) {
      if (padded.contains(" " + k.replaceAll("[^\\p{L}\\p{N}]+", " ").trim() + " ")) return true;
    }
    return false;
  }
}
