package dev.pulse.llm.llm;

import dev.pulse.llm.model.Sentiment;

/**
 * The LLM's validated classification of one post.
 *
 * @param confidence the model's confidence in its label, in [0, 1] (the answer's "score")
 */
public record Verdict(Sentiment label, double confidence, String rationale, boolean crisis) {

  /** Polarity in [-1, 1], the light scorer's scale: the confidence signed by the label, 0 if neutral. */
  public double polarity() {
    return switch (label) {
      case POSITIVE -> confidence;
      case NEGATIVE -> -confidence;
      case NEUTRAL -> 0.0;
    };
  }
}
