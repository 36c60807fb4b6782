package dev.pulse.scoring.lexicon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Word and emoji valences in [-4, 4] plus the closed word classes the rules need. Loaded once per JVM from
 * resources (VADER's MIT-licensed lexicon and emoji descriptions, plus our own slang list; see
 * scoring/NOTICE.md) and immutable afterwards, so every thread and Spark task shares it.
 */
public final class Lexicon {

  /** Words that raise the magnitude of the sentiment word they precede. */
  static final Set<String> INTENSIFIERS = Set.of(
      "absolutely", "amazingly", "awfully", "completely", "considerably", "damn", "decidedly", "deeply",
      "effing", "enormously", "entirely", "especially", "exceptionally", "extremely", "fabulously",
      "freaking", "friggin", "frigging", "fricking", "fucking", "fully", "greatly", "hella", "highly",
      "hugely", "incredibly", "insanely", "intensely", "majorly", "more", "most", "particularly", "purely",
      "quite", "really", "realy", "remarkably", "so", "soo", "sooo", "substantially", "super", "thoroughly",
      "too", "totally", "tremendously", "uber", "unbelievably", "unusually", "utterly", "very", "mega",
      "wicked");

  /** Words that lower it. */
  static final Set<String> DAMPENERS = Set.of(
      "almost", "barely", "hardly", "kinda", "kindof", "less", "little", "marginally", "occasionally",
      "partly", "scarcely", "slightly", "somewhat", "sorta", "sortof", "fairly", "mildly", "rather");

  static final Set<String> NEGATORS = Set.of(
      "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot", "cant",
      "can't", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't", "arent", "aren't",
      "wasnt", "wasn't", "werent", "weren't", "wont", "won't", "wouldnt", "wouldn't", "shouldnt",
      "shouldn't", "couldnt", "couldn't", "hasnt", "hasn't", "havent", "haven't", "hadnt", "hadn't", "aint",
      "ain't", "without", "nope", "nah", "neva", "dnt", "lacks");

  /** Words after which the rest of the post outweighs what came before. */
  static final Set<String> CONTRASTS = Set.of("but", "however", "although", "though");

  /** Word classes, one per id. */
  static final byte PLAIN = 0, INTENSIFIER = 1, DAMPENER = 2, NEGATOR = 3, CONTRAST = 4;

  private static volatile Lexicon shared;

  private final WordIndex index;
  private final double[] valence; // NaN: no valence
  private final byte[] kind;
  private final Map<Integer, Double> emoji;
  private final int words;

  Lexicon(Map<String, Double> words, Map<Integer, Double> emoji) {
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(new java.util.TreeSet<>(words.keySet()));
    all.addAll(INTENSIFIERS);
    all.addAll(DAMPENERS);
    all.addAll(NEGATORS);
    all.addAll(CONTRASTS);
    java.util.List<String> list = new java.util.ArrayList<>(all);
    this.index = new WordIndex(list);
    this.valence = new double[list.size()];
    this.kind = new byte[list.size()];
    for (int id = 0; id < list.size(); id++) {
      String w = list.get(id);
      Double v = words.get(w);
      valence[id] = v == null ? Double.NaN : v;
      kind[id] = INTENSIFIERS.contains(w) ? INTENSIFIER : DAMPENERS.contains(w) ? DAMPENER
          : NEGATORS.contains(w) ? NEGATOR : CONTRASTS.contains(w) ? CONTRAST : PLAIN;
    }
    this.emoji = Map.copyOf(emoji);
    this.words = words.size();
  }

  public static Lexicon shared() {
    Lexicon l = shared;
    if (l == null) {
      synchronized (Lexicon.class) {
        l = shared;
        if (l == null) shared = l = load();
      }
    }
    return l;
  }

  /** Id of a lowercase word held in {@code buf[from, from + len)}, or -1 when the lexicon does not know it. */
  int id(char[] buf, int from, int len) {
    return index.find(buf, from, len);
  }

  /** As {@link #id(char[], int, int)} with the word's hash already computed ({@link WordIndex#hash}). */
  int id(char[] buf, int from, int len, int hash) {
    return index.find(buf, from, len, hash);
  }

  int ids() {
    return valence.length;
  }

  double valenceOf(int id) {
    return valence[id];
  }

  byte kindOf(int id) {
    return kind[id];
  }

  /** Valence of a lowercased token, or NaN when it carries none. */
  public double valence(String token) {
    char[] c = token.toCharArray();
    int id = index.find(c, 0, c.length);
    return id < 0 ? Double.NaN : valence[id];
  }

  /** Valence of a single-code-point emoji, or NaN. */
  public double emojiValence(int codePoint) {
    Double v = emoji.get(codePoint);
    return v == null ? Double.NaN : v;
  }

  public boolean isEmoji(int codePoint) {
    return emoji.containsKey(codePoint);
  }

  public int size() {
    return words;
  }

  private static Lexicon load() {
    Map<String, Double> words = new HashMap<>();
    readTsv("/scoring/vader_lexicon.txt", (k, v) -> words.put(k, Double.parseDouble(v)));
    // Our additions and corrections for current social-media slang win over VADER's entries.
    readTsv("/scoring/slang_lexicon.tsv", (k, v) -> words.put(k, Double.parseDouble(v)));
    Map<Integer, Double> emoji = new HashMap<>();
    // An emoji's valence is the sum of the valences of the words in its Unicode description ("face with
    // tears of joy"), clamped to the lexicon's range; zero-valence emoji are kept so they still tokenize.
    readTsv("/scoring/emoji_utf8_lexicon.txt", (k, desc) -> {
      if (k.codePointCount(0, k.length()) != 1) return;
      double sum = 0;
      for (String w : desc.toLowerCase().split("[^a-z']+")) {
        Double v = words.get(w);
        if (v != null) sum += v;
      }
      emoji.put(k.codePointAt(0), Math.max(-4, Math.min(4, sum)));
    });
    readTsv("/scoring/emoji_overrides.tsv", (k, v) -> emoji.put(k.codePointAt(0), Double.parseDouble(v)));
    return new Lexicon(words, emoji);
  }

  private interface Entry {
    void accept(String key, String value);
  }

  private static void readTsv(String resource, Entry entry) {
    try (InputStream in = Lexicon.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split("\t");
        if (f.length >= 2) entry.accept(f[0], f[1].strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
