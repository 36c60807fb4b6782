package dev.pulse.scoring.learned;

import dev.pulse.scoring.lexicon.TextNormalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The hashed bag of n-grams of the learned tier: the post is normalised ({@link TextNormalizer}: mentions become
 * {@code @user}, links {@code http}), lower-cased, letters repeated three or more times cut to two ("soooo" and
 * "sooooooo" both read "soo"), split into word tokens (letters, digits, {@code '} and {@code #}) and single
 * symbols (each emoji, {@code !}, {@code ?}, ...); every word unigram and bigram is hashed (64-bit FNV-1a,
 * fixed, so the buckets are the same on every JVM) into {@code 2^bits} buckets. Pure and thread-safe.
 */
public final class NgramFeatures {
  private NgramFeatures() {}

  /** The distinct buckets of a post's unigrams and bigrams, sorted ascending. */
  public static int[] buckets(String text, int bits) {
    return buckets(text, bits, 0);
  }

  /**
   * The distinct buckets, sorted ascending, of a post's word unigrams and bigrams and, for {@code charMax > 0},
   * of the character 3- to {@code charMax}-grams of each word token padded with a space on both sides.
   */
  public static int[] buckets(String text, int bits, int charMax) {
    List<String> tokens = tokens(text);
    int[] out = new int[16];
    int n = 0;
    for (int i = 0; i < tokens.size(); i++) {
      if (n + 2 > out.length) out = Arrays.copyOf(out, out.length * 2);
      out[n++] = bucket(hash(0x1L, tokens.get(i)), bits);
      if (i > 0) out[n++] = bucket(hash(hash(0x2L, tokens.get(i - 1)), tokens.get(i)), bits);
      String t = tokens.get(i);
      if (charMax > 0 && t.length() >= 2) {
        String padded = " " + t + " ";
        for (int len = 3; len <= charMax; len++) {
          for (int s = 0; s + len <= padded.length(); s++) {
            if (n + 1 > out.length) out = Arrays.copyOf(out, out.length * 2);
            out[n++] = bucket(hash(0x3L, padded.substring(s, s + len)), bits);
          }
        }
      }
    }
    int[] b = Arrays.copyOf(out, n);
    Arrays.sort(b);
    int m = 0;
    for (int i = 0; i < b.length; i++) if (m == 0 || b[i] != b[m - 1]) b[m++] = b[i];
    return Arrays.copyOf(b, m);
  }

  /** The tokens the n-grams are made of (exposed for tests). */
  public static List<String> tokens(String text) {
    String s = TextNormalizer.normalize(text).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp) || cp == '\'' || cp == '#' || cp == '@') {
        int len = word.length();
        if (len >= 2 && word.charAt(len - 1) == cp && word.charAt(len - 2) == cp) continue;
        word.appendCodePoint(cp);
        continue;
      }
      flush(word, out);
      if (!Character.isWhitespace(cp) && cp != 0xFE0F && !Character.isISOControl(cp)) {
        String sym = new String(Character.toChars(cp));
        // a run of the same symbol ("!!!") is one token
        if (out.isEmpty() || !out.get(out.size() - 1).equals(sym)) out.add(sym);
      }
    }
    flush(word, out);
    return out;
  }

  private static void flush(StringBuilder word, List<String> out) {
    if (word.length() == 0) return;
    String w = word.toString();
    word.setLength(0);
    if (w.startsWith("#") && w.length() > 1) w = w.substring(1); // hashtags read as words
    out.add(w);
  }

  static long hash(long seed, String s) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= 0xff; // token separator
    h *= 0x100000001b3L;
    return h;
  }

  static int bucket(long h, int bits) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (int) (h >>> (64 - bits));
  }
}
