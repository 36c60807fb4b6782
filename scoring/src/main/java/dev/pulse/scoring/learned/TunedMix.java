package dev.pulse.scoring.learned;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How the fine-tuned encoder's logits join the rest of the light scorer:
 * {@code p = softmax((mix * log pLight + (1 - mix) * log softmax(tuned)) / temperature)}, where {@code pLight} is
 * what the lexicon features, the frozen-MiniLM heads and the n-gram head give together. {@code mix} is chosen by
 * validation macro-recall and {@code temperature} fitted on validation, by ./pulse train-scorer.
 */
public record TunedMix(double mix, double temperature) implements Serializable {
  public static final String SHIPPED = "/scoring/tuned-mix.txt";

  public TunedMix {
    if (!(mix >= 0 && mix <= 1)) throw new IllegalArgumentException("tuned mix must be in [0, 1]: " + mix);
    if (!(temperature > 0)) throw new IllegalArgumentException("tuned temperature must be positive: " + temperature);
  }

  private static final class Shipped {
    static final TunedMix MIX = fromResource(SHIPPED);
  }

  public static TunedMix shipped() {
    return Shipped.MIX;
  }

  /** Uncalibrated mixed logits. */
  public double[] logits(double[] lightProbabilities, double[] tunedLogits) {
    double[] lt = SoftmaxHead.softmax(tunedLogits, 1);
    double[] z = new double[lightProbabilities.length];
    for (int c = 0; c < z.length; c++) {
      z[c] = mix * Math.log(Math.max(1e-12, lightProbabilities[c])) + (1 - mix) * Math.log(Math.max(1e-12, lt[c]));
    }
    return z;
  }

  public double[] probabilities(double[] lightProbabilities, double[] tunedLogits) {
    return SoftmaxHead.softmax(logits(lightProbabilities, tunedLogits), temperature);
  }

  static TunedMix fromResource(String resource) {
    return ShippedResource.load(resource, "./pulse train-scorer --encoder", TunedMix::read);
  }

  /** Reads {@code mix=...} and {@code temperature=...} lines; {@code #} starts a comment. */
  public static TunedMix read(InputStream in) throws IOException {
    Double mix = null, t = null;
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line; (line = r.readLine()) != null; ) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      if (eq < 0) throw new IllegalArgumentException("tuned mix: not key=value: '" + line + "'");
      String key = line.substring(0, eq).strip();
      double v = Double.parseDouble(line.substring(eq + 1).strip());
      if (key.equals("mix")) mix = v;
      else if (key.equals("temperature")) t = v;
      else throw new IllegalArgumentException("tuned mix: unknown key '" + key + "'");
    }
    if (mix == null || t == null) throw new IllegalArgumentException("tuned mix: needs mix= and temperature=");
    return new TunedMix(mix, t);
  }

  public void write(Writer w, String comment) throws IOException {
    w.write("# " + comment + "\n");
    w.write(String.format(Locale.ROOT, "mix=%.2f%ntemperature=%.6f%n", mix, temperature));
  }
}
