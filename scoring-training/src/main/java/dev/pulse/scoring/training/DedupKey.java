package dev.pulse.scoring.training;

import dev.pulse.scoring.lexicon.TextNormalizer;
import java.util.Locale;

/**
 * The key tweet-sentiment-train's README uses to find the same tweet across its files and TweetEval's
 * splits: JSON and HTML escapes decoded, mentions and URLs removed, lowercased, only [0-9a-z] kept. Keys
 * under 10 characters are too generic to match on and yield null.
 */
public final class DedupKey {
  public static final int MIN_LENGTH = 10;

  private DedupKey() {}

  public static String of(String text) {
    String s = TextNormalizer.normalize(text).toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder(s.length());
    for (String tok : s.split(" ")) {
      if (tok.startsWith("@") || tok.equals("http")) continue;
      for (int i = 0; i < tok.length(); i++) {
        char c = tok.charAt(i);
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) b.append(c);
      }
    }
    return b.length() < MIN_LENGTH ? null : b.toString();
  }
}
