package dev.pulse.scoring.learned;

import java.io.Serializable;
import java.util.List;

/**
 * What {@link Embedder} pools from each post's token states: every part's output side by side (one
 * {@link TokenAttention} per averaged head of {@link LightHeads}), so one MiniLM pass serves all of them.
 */
public record TokenPooling(List<TokenAttention> parts) implements Serializable {
  public TokenPooling {
    parts = List.copyOf(parts);
  }

  public static TokenPooling none() {
    return new TokenPooling(List.of());
  }

  public int dimension() {
    int d = 0;
    for (TokenAttention a : parts) d += a.dimension();
    return d;
  }

  public float[] pool(float[][] tokens) {
    float[] out = new float[dimension()];
    int at = 0;
    for (TokenAttention a : parts) {
      float[] p = a.pool(tokens);
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
