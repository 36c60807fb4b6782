package dev.pulse.scoring;

import dev.pulse.event.Label;

import java.io.Serializable;

/**
 * What the light scorer says about one post.
 *
 * @param label the most probable class
 * @param score polarity in [-1, 1]: P(positive) - P(negative)
 * @param confidence calibrated probability that {@code label} is right, in [0, 1]; the pipeline escalates
 *     posts under its threshold to the LLM
 * @param crisis true when a crisis keyword of the pipeline's glossary occurs in the post
 * @param probabilities calibrated class probabilities, indexed by {@link Label#index()}
 */
public record Score(Label label, double score, double confidence, boolean crisis, double[] probabilities)
    implements Serializable {

  public static Score fromProbabilities(double[] p, boolean crisis) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) best = i;
    }
    double polarity = Math.max(-1, Math.min(1, p[2] - p[0]));
    return new Score(Label.ofIndex(best), polarity, p[best], crisis, p.clone());
  }
}
