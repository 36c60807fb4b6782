package dev.pulse.stream;

import java.util.regex.Pattern;

/**
 * The clean step: markup, URLs and runs of whitespace go; words, punctuation, mentions, hashtags and emoji stay
 * (the scorer reads emoji and "!!!"). Pure and thread-safe.
 */
public final class TextCleaner {
  private static final Pattern TAGS = Pattern.compile("<[^>]{0,500}>");
  private static final Pattern URLS = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private TextCleaner() {}

  public static String clean(String text) {
    if (text == null) {
      return "";
    }
    String s = TAGS.matcher(text).replaceAll(" ");
    s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'").replace("&apos;", "'").replace("&amp;", "&");
    s = URLS.matcher(s).replaceAll(" ");
    return SPACE.matcher(s).replaceAll(" ").strip();
  }
}
