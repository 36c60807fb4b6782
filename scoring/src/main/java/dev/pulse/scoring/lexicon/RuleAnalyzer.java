package dev.pulse.scoring.lexicon;

import dev.pulse.scoring.glossary.Glossary;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lexicon-and-rules tier. The rules follow those documented for VADER (Hutto and Gilbert, ICWSM 2014):
 * word valences adjusted for intensifiers and dampeners in the three preceding words, negation in the three
 * preceding words, ALL CAPS emphasis in mixed-case text, "but"-contrast (earlier clause weighs half, later
 * one and a half), exclamation and question marks, emoji and emoticons, then squashed to [-1, 1] with
 * x / sqrt(x^2 + 15). Added here: elongated words ("soooo goood") are matched after collapsing repeated
 * letters and count as emphasis, hashtags are read as words, mentions and links are skipped, and a pipeline
 * glossary overrides valences and flags crisis keywords.
 *
 * <p>Written for speed (it scores every post): one pass over the characters into primitive arrays, words
 * looked up in the lexicon straight from a char buffer. Stateless after construction, hence thread-safe.
 */
public final class RuleAnalyzer implements Serializable {
  private static final long serialVersionUID = 1L;

  // Increments as published with VADER's rules (the paper's empirically derived values).
  static final double INTENSIFIER_STEP = 0.293;
  static final double CAPS_STEP = 0.733;
  static final double NEGATION_FACTOR = -0.74;
  static final double EXCLAMATION_STEP = 0.292;
  static final double QUESTION_STEP = 0.18;
  static final double SQUASH_ALPHA = 15;
  static final double ELONGATION_STEP = 0.293;
  private static final double[] DISTANCE_DECAY = {1.0, 0.95, 0.9};

  private static final int CAPS = 1, ELONGATED = 2, NEG_SUFFIX = 4, EMOJI = 8;

  /** Per-thread buffers reused across posts: the tier allocates almost nothing per post. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    char[] src = new char[0], buf = src;
    int[] ids = new int[0], flags = ids;
    double[] val = new double[0];

    Scratch ensure(int size) {
      if (src.length < size) {
        int cap = Math.max(size, 512);
        src = new char[cap];
        buf = new char[cap];
        ids = new int[cap];
        flags = new int[cap];
        val = new double[cap];
      }
      return this;
    }
  }

  private final Glossary glossary;
  /** Glossary words the lexicon lacks get ids after the lexicon's. */
  private final Map<String, Integer> extraIds = new HashMap<>();
  private final int[][] termIds;
  private final double[] termValence;
  private final int[][] crisisIds;

  public RuleAnalyzer(Glossary glossary) {
    this.glossary = glossary == null ? Glossary.EMPTY : glossary;
    Lexicon lex = Lexicon.shared();
    List<Glossary.Term> terms = this.glossary.terms();
    termIds = new int[terms.size()][];
    termValence = new double[terms.size()];
    for (int i = 0; i < terms.size(); i++) {
      termIds[i] = phraseIds(terms.get(i).term(), lex);
      termValence[i] = terms.get(i).polarity() * 4;
    }
    crisisIds = this.glossary.crisisKeywords().stream().map(k -> phraseIds(k, lex)).toArray(int[][]::new);
  }

  public Glossary glossary() {
    return glossary;
  }

  private int[] phraseIds(String phrase, Lexicon lex) {
    String[] words = phrase.toLowerCase(Locale.ROOT).trim().split("[^\\p{L}\\p{N}']+");
    int[] ids = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      char[] c = words[i].toCharArray();
      int id = lex.id(c, 0, c.length);
      ids[i] = id >= 0 ? id : extraIds.computeIfAbsent(words[i], w -> lex.ids() + extraIds.size());
    }
    return ids;
  }

  public LexiconFeatures analyze(String rawText) {
    Lexicon lex = Lexicon.shared();
    String text = TextNormalizer.unescape(rawText);
    int len = text.length();
    Scratch scratch = SCRATCH.get().ensure(len + 2);
    char[] src = scratch.src; // indexing an array beats String.charAt on UTF-16 text (emoji)
    text.getChars(0, len, src, 0);
    char[] buf = scratch.buf;
    int[] ids = scratch.ids; // a post has at most len + 1 tokens, so these never grow below
    int[] flags = scratch.flags;
    double[] val = scratch.val;
    int n = 0;
    boolean upper = false, lower = false;
    int exclamations = 0, questions = 0;

    int i = 0;
    while (i < len) {
      char c = src[i];
      if (isSpace(c)) {
        i++;
        continue;
      }
      int start = i;
      while (i < len && !isSpace(src[i])) i++;
      int end = i;
      // Mentions and links carry no sentiment.
      if (c == '@' || startsWith(src, start, end, "http") || startsWith(src, start, end, "www.")) continue;
      boolean punctuated = false, ascii = true;
      // Word statistics gathered on the way, used when the chunk is one plain ASCII word (the common case).
      int h = 0, letters = 0, caps = 0, run = 0, f = 0;
      for (int k = start; k < end; k++) {
        char ch = src[k];
        if (ch < 128) {
          char lc = ch;
          if (ch >= 'A' && ch <= 'Z') {
            upper = true;
            lc = (char) (ch + 32);
            caps++;
            letters++;
          } else if (ch >= 'a' && ch <= 'z') {
            lower = true;
            letters++;
          } else if (ch < '0' || ch > '9') {
            punctuated = true;
            if (ch == '!') exclamations++;
            else if (ch == '?') questions++;
          }
          buf[k] = lc;
          h = 31 * h + lc;
          run = k > start && lc == buf[k - 1] && lc >= 'a' ? run + 1 : 1;
          if (run >= 3) f = ELONGATED;
          continue;
        }
        ascii = false;
        char lc = Character.toLowerCase(ch);
        if (lc != ch) upper = true;
        else if (Character.isLowerCase(ch)) lower = true;
        buf[k] = lc;
        if (!Character.isLetterOrDigit(ch)) punctuated = true;
      }
      if (!punctuated && ascii) {
        if (letters >= 2 && caps == letters) f |= CAPS;
        n = store(buf, start, end, f, lex.id(buf, start, end - start, WordIndex.finish(h)), lex, ids, flags, val, n);
        continue;
      }
      // Emoticons (":)", ":D", "<3") and hyphenated words are whole lexicon entries containing punctuation;
      // a word with only sentence punctuation around it ("good,") is not worth the extra lookup.
      if (punctuated) {
        int innerEnd = end, innerStart = start;
        while (innerEnd > innerStart && ",.!?;\"".indexOf(src[innerEnd - 1]) >= 0) innerEnd--;
        while (innerStart < innerEnd && src[innerStart] == '"') innerStart++;
        if (hasPunctuation(src, innerStart, innerEnd)) {
          int id = lex.id(buf, innerStart, innerEnd - innerStart);
          if (id >= 0 && !Double.isNaN(lex.valenceOf(id))) {
            if (n == ids.length) { ids = grow(ids); flags = grow(flags); val = grow(val); }
            ids[n] = id;
            flags[n] = 0;
            val[n++] = lex.valenceOf(id);
            continue;
          }
        }
      }
      // Split the chunk into words (letters, digits, inner apostrophes) and emoji.
      int k = start;
      while (k < end) {
        int cp = src[k] < 128 ? src[k] : Character.codePointAt(src, k);
        if (isWordChar(cp)) {
          int ws = k;
          while (k < end) {
            int q = src[k] < 128 ? src[k] : Character.codePointAt(src, k);
            if (isWordChar(q) || (q == '\'' && k + 1 < end && isWordChar(src[k + 1]))) {
              k += Character.charCount(q);
            } else {
              break;
            }
          }
          if (n == ids.length) { ids = grow(ids); flags = grow(flags); val = grow(val); }
          n = addWord(src, buf, ws, k, lex, ids, flags, val, n);
        } else {
          k += Character.charCount(cp);
          if (cp >= 0x2000 && lex.isEmoji(cp)) {
            if (n == ids.length) { ids = grow(ids); flags = grow(flags); val = grow(val); }
            ids[n] = -1;
            flags[n] = EMOJI;
            val[n++] = lex.emojiValence(cp);
          }
        }
      }
    }
    return score(lex, ids, flags, val, n, upper && lower, Math.min(4, exclamations), Math.min(4, questions));
  }

  private int addWord(char[] src, char[] buf, int from, int to, Lexicon lex, int[] ids, int[] flags, double[] val, int n) {
    int wlen = to - from;
    int f = 0;
    int letters = 0, caps = 0, run = 1, h = 0;
    for (int k = from; k < to; k++) {
      char ch = src[k];
      h = 31 * h + buf[k];
      boolean letter = ch < 128 ? (ch | 32) >= 'a' && (ch | 32) <= 'z' : Character.isLetter(ch);
      if (letter) {
        letters++;
        if (ch < 128 ? ch <= 'Z' : Character.isUpperCase(ch)) caps++;
      }
      run = k > from && buf[k] == buf[k - 1] && letter ? run + 1 : 1;
      if (run >= 3) f |= ELONGATED;
    }
    if (letters >= 2 && caps == letters) f |= CAPS;
    if (wlen > 3 && buf[to - 3] == 'n' && buf[to - 2] == '\'' && buf[to - 1] == 't') f |= NEG_SUFFIX;
    return store(buf, from, to, f, lex.id(buf, from, wlen, WordIndex.finish(h)), lex, ids, flags, val, n);
  }

  /** Records word {@code buf[from, to)} as token n, trying its de-elongated forms and the glossary if unknown. */
  private int store(char[] buf, int from, int to, int f, int id, Lexicon lex, int[] ids, int[] flags, double[] val, int n) {
    int wlen = to - from;
    if (id < 0 && (f & ELONGATED) != 0) {
      char[] tmp = new char[wlen];
      id = lex.id(tmp, 0, collapse(buf, from, to, tmp, 2));
      if (id < 0) id = lex.id(tmp, 0, collapse(buf, from, to, tmp, 1));
    }
    if (id < 0 && !extraIds.isEmpty()) {
      Integer extra = extraIds.get(new String(buf, from, wlen));
      if (extra != null) id = extra;
    }
    ids[n] = id;
    flags[n] = f;
    val[n] = id >= 0 && id < lex.ids() ? lex.valenceOf(id) : Double.NaN;
    return n + 1;
  }

  /** Copies {@code buf[from, to)} into {@code out} with runs of a repeated letter cut to {@code max}. */
  private static int collapse(char[] buf, int from, int to, char[] out, int max) {
    int o = 0, same = 0;
    for (int k = from; k < to; k++) {
      same = k > from && buf[k] == buf[k - 1] ? same + 1 : 1;
      if (same <= max) out[o++] = buf[k];
    }
    return o;
  }

  private LexiconFeatures score(Lexicon lex, int[] ids, int[] flags, double[] val, int n, boolean mixedCase,
      int exclamations, int questions) {
    boolean[] covered = null;
    double[] override = null;
    for (int g = 0; g < termIds.length; g++) {
      for (int at = 0; at + termIds[g].length <= n; at++) {
        if (matchesAt(ids, at, termIds[g])) {
          if (override == null) {
            override = new double[n];
            java.util.Arrays.fill(override, Double.NaN);
            covered = new boolean[n];
          }
          override[at] = termValence[g];
          for (int k = 1; k < termIds[g].length; k++) covered[at + k] = true;
        }
      }
    }
    boolean crisis = false;
    for (int[] phrase : crisisIds) {
      for (int at = 0; !crisis && at + phrase.length <= n; at++) crisis = matchesAt(ids, at, phrase);
    }

    int contrastAt = -1;
    for (int t = 0; t < n && contrastAt < 0; t++) {
      if (ids[t] >= 0 && ids[t] < lex.ids() && lex.kindOf(ids[t]) == Lexicon.CONTRAST) contrastAt = t;
    }

    double sum = 0, pos = 0, neg = 0;
    int sentimentWords = 0, negations = 0;
    for (int t = 0; t < n; t++) {
      double v;
      if (override != null && !Double.isNaN(override[t])) v = override[t];
      else if (covered != null && covered[t]) continue;
      else if (modifierStep(lex, ids[t], flags[t], val[t]) != 0) continue;
      else v = val[t];
      if (Double.isNaN(v) || v == 0) continue;

      double sign = Math.signum(v);
      if ((flags[t] & CAPS) != 0 && mixedCase) v += sign * CAPS_STEP;
      if ((flags[t] & ELONGATED) != 0) v += sign * ELONGATION_STEP;
      boolean negated = false;
      for (int d = 1; d <= 3 && t - d >= 0; d++) {
        int p = t - d;
        double step = modifierStep(lex, ids[p], flags[p], val[p]);
        if (step != 0) {
          if ((flags[p] & CAPS) != 0 && mixedCase) step += Math.signum(step) * CAPS_STEP;
          v += sign * step * DISTANCE_DECAY[d - 1];
        }
        if ((flags[p] & NEG_SUFFIX) != 0 || (ids[p] >= 0 && ids[p] < lex.ids() && lex.kindOf(ids[p]) == Lexicon.NEGATOR)) {
          negated = true;
        }
      }
      if (negated) {
        v *= NEGATION_FACTOR;
        negations++;
      }
      if (contrastAt >= 0) {
        if (t < contrastAt) v *= 0.5;
        else if (t > contrastAt) v *= 1.5;
      }
      sentimentWords++;
      sum += v;
      if (v > 0) pos += v;
      else neg -= v;
    }

    if (sum != 0) {
      double emphasis = exclamations * EXCLAMATION_STEP;
      if (questions > 1) emphasis += questions * QUESTION_STEP;
      sum += Math.signum(sum) * emphasis;
      if (sum > 0) pos += emphasis;
      else neg += emphasis;
    }
    double compound = sum / Math.sqrt(sum * sum + SQUASH_ALPHA);
    return new LexiconFeatures(compound, pos, neg, sentimentWords, n, negations, exclamations, questions, crisis,
        override != null);
  }

  /** +step for an intensifier ("very", "soooo" via its collapsed form), -step for a dampener, else 0. */
  private static double modifierStep(Lexicon lex, int id, int flags, double valence) {
    if (id < 0 || id >= lex.ids()) return 0;
    byte kind = lex.kindOf(id);
    if (kind == Lexicon.INTENSIFIER) return INTENSIFIER_STEP;
    if (kind == Lexicon.DAMPENER) return -INTENSIFIER_STEP;
    return 0;
  }

  private static boolean matchesAt(int[] ids, int at, int[] phrase) {
    for (int k = 0; k < phrase.length; k++) if (ids[at + k] != phrase[k]) return false;
    return true;
  }

  private static boolean hasPunctuation(char[] src, int start, int end) {
    for (int k = start; k < end; k++) if (!isWordChar(src[k])) return true;
    return false;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || (c < 128 ? c >= 9 && c <= 13 : Character.isWhitespace(c));
  }

  private static boolean isWordChar(int cp) {
    if (cp < 128) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return Character.isLetterOrDigit(cp);
  }

  private static boolean startsWith(char[] src, int from, int end, String prefix) {
    if (end - from < prefix.length()) return false;
    for (int k = 0; k < prefix.length(); k++) if (src[from + k] != prefix.charAt(k)) return false;
    return true;
  }

  private static int[] grow(int[] a) {
    return java.util.Arrays.copyOf(a, a.length * 2);
  }

  private static double[] grow(double[] a) {
    return java.util.Arrays.copyOf(a, a.length * 2);
  }
}
