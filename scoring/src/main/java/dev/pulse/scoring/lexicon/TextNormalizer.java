package dev.pulse.scoring.lexicon;

/**
 * Cleans a raw social post the same way for training and scoring: literal JSON escapes ({@code \u002c}) and
 * common HTML entities are decoded, mentions become {@code @user} and links {@code http} (the form TweetEval
 * uses), surrounding double quotes are dropped and whitespace is collapsed.
 */
public final class TextNormalizer {
  private TextNormalizer() {}

  public static String normalize(String raw) {
    String s = unescapeJson(raw);
    s = unescapeHtml(s);
    s = s.strip();
    if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
      s = s.substring(1, s.length() - 1).strip();
    }
    StringBuilder out = new StringBuilder(s.length());
    for (String tok : s.split("\\s+")) {
      if (tok.isEmpty()) continue;
      if (out.length() > 0) out.append(' ');
      if (tok.startsWith("@") && tok.length() > 1) out.append("@user");
      else if (tok.startsWith("http://") || tok.startsWith("https://") || tok.startsWith("www.")) out.append("http");
      else out.append(tok);
    }
    return out.toString();
  }

  /** Only the escape decoding of {@link #normalize} (the rule tier's tokenizer handles the rest itself). */
  public static String unescape(String raw) {
    return unescapeHtml(unescapeJson(raw));
  }

  static String unescapeJson(String s) {
    if (s.indexOf("\\u") < 0) return s;
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 5 < s.length() + 0 && s.charAt(i + 1) == 'u' && isHex(s, i + 2, i + 6)) {
        b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isHex(String s, int from, int to) {
    if (to > s.length()) return false;
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) return false;
    }
    return true;
  }

  static String unescapeHtml(String s) {
    if (s.indexOf('&') < 0) return s;
    return s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'").replace("&apos;", "'");
  }
}
