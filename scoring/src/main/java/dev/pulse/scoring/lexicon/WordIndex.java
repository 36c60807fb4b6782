package dev.pulse.scoring.lexicon;

import java.io.Serializable;
import java.util.List;

/**
 * An open-addressing map from lowercase words to dense ids that is probed with a slice of a char buffer, so
 * the tokenizer looks words up without creating a String per token (the lexicon tier's hot path).
 */
final class WordIndex implements Serializable {
  private static final long serialVersionUID = 1L;
  private final char[][] keys;
  // [hash, id] per slot, side by side so a probe reads one cache line; the hash is compared before the key,
  // so a probe rarely touches the key's array.
  private final int[] meta;
  private final int mask;

  WordIndex(List<String> words) {
    int cap = Integer.highestOneBit(Math.max(4, words.size() * 2)) << 1; // load factor <= 1/2
    keys = new char[cap][];
    meta = new int[2 * cap];
    mask = cap - 1;
    for (int id = 0; id < words.size(); id++) {
      char[] w = words.get(id).toCharArray();
      int h = hash(w, 0, w.length);
      int slot = h & mask;
      while (keys[slot] != null) {
        if (equal(keys[slot], w, 0, w.length)) throw new IllegalArgumentException("duplicate word " + words.get(id));
        slot = (slot + 1) & mask;
      }
      keys[slot] = w;
      meta[2 * slot] = h;
      meta[2 * slot + 1] = id;
    }
  }

  /** The id of {@code buf[from, from + len)}, or -1. */
  int find(char[] buf, int from, int len) {
    return find(buf, from, len, hash(buf, from, len));
  }

  /** As {@link #find(char[], int, int)} with the {@link #hash} the caller computed while scanning the word. */
  int find(char[] buf, int from, int len, int h) {
    int slot = h & mask;
    for (char[] k; (k = keys[slot]) != null; slot = (slot + 1) & mask) {
      if (meta[2 * slot] == h && equal(k, buf, from, len)) return meta[2 * slot + 1];
    }
    return -1;
  }

  static int hash(char[] b, int from, int len) {
    int h = 0;
    for (int i = from; i < from + len; i++) h = 31 * h + b[i];
    return finish(h);
  }

  /** Hash = finish(polynomial 31 over the chars), so a scanner can accumulate it char by char. */
  static int finish(int h) {
    return h ^ (h >>> 15);
  }

  private static boolean equal(char[] key, char[] b, int from, int len) {
    if (key.length != len) return false;
    for (int i = 0; i < len; i++) if (key[i] != b[from + i]) return false;
    return true;
  }
}
