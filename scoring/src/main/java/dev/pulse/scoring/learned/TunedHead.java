package dev.pulse.scoring.learned;

/**
 * The linear head of a fine-tuned encoder ({@link EncoderOverlay}): sentiment logits from the mean of a post's token
 * states, unnormalised, as in training. Kept apart from the overlay so that the patch bytes, which are only needed
 * while the patched model is built, can be dropped once it is.
 */
public final class TunedHead {
  private final float[][] weights; // [classes][dimension]
  private final float[] bias;

  TunedHead(float[][] weights, float[] bias) {
    this.weights = weights;
    this.bias = bias;
  }

  /** The logits for the mean of a post's token states. */
  public double[] logits(float[][] tokenStates) {
    int d = weights.length == 0 ? 0 : weights[0].length;
    double[] mean = new double[d];
    for (float[] row : tokenStates) for (int j = 0; j < d; j++) mean[j] += row[j];
    for (int j = 0; j < d; j++) mean[j] /= tokenStates.length;
    double[] z = new double[bias.length];
    for (int c = 0; c < z.length; c++) {
      double s = bias[c];
      for (int j = 0; j < d; j++) s += weights[c][j] * mean[j];
      z[c] = s;
    }
    return z;
  }
}
