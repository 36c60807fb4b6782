package dev.pulse.scoring.training;

import dev.pulse.scoring.learned.Embedder;

/**
 * A post's MiniLM token states kept for training, as bfloat16 (the top half of each float): ~50k tweets of ~30
 * word pieces are 1.1 GB this way instead of 2.2 GB. The rounding (8 bits of mantissa) is far below what the
 * attention's softmax and the head can tell apart; the scorer itself pools the full-precision states.
 */
public final class TokenStates {
  private final short[] values;
  private final int tokens;

  TokenStates(short[] values, int tokens) {
    if (values.length != tokens * Embedder.DIMENSION) throw new IllegalArgumentException("bad token state size");
    this.values = values;
    this.tokens = tokens;
  }

  public static TokenStates of(float[][] states) {
    int d = Embedder.DIMENSION;
    short[] v = new short[states.length * d];
    for (int t = 0; t < states.length; t++) {
      for (int j = 0; j < d; j++) v[t * d + j] = toBf16(states[t][j]);
    }
    return new TokenStates(v, states.length);
  }

  public int tokens() {
    return tokens;
  }

  short[] raw() {
    return values;
  }

  /** Decodes into the first {@link #tokens()} rows of {@code into}, which must have at least that many. */
  public float[][] decode(float[][] into) {
    int d = Embedder.DIMENSION;
    for (int t = 0; t < tokens; t++) {
      float[] row = into[t];
      for (int j = 0; j < d; j++) row[j] = Float.intBitsToFloat(values[t * d + j] << 16);
    }
    return into;
  }

  public float[][] decode() {
    return decode(new float[tokens][Embedder.DIMENSION]);
  }

  /** Round to nearest even, as hardware bfloat16 conversions do. */
  static short toBf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
    bits += 0x7fff + ((bits >>> 16) & 1);
    return (short) (bits >>> 16);
  }
}
