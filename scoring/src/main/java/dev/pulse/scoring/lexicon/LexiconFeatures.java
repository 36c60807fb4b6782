package dev.pulse.scoring.lexicon;

/**
 * What the rules found in one post.
 *
 * @param compound the rule-adjusted valence sum squashed to [-1, 1]
 * @param positive sum of positive (adjusted) valences
 * @param negative sum of negative valences, as a positive number
 * @param sentimentWords how many tokens carried valence
 * @param tokens how many tokens the post had
 * @param negations how many sentiment words were flipped by a negator
 * @param exclamations '!' count (capped at 4)
 * @param questions '?' count (capped at 4)
 * @param crisis whether a glossary crisis keyword occurs
 * @param glossaryTerm whether a glossary term overrode a valence in this post
 */
public record LexiconFeatures(
    double compound,
    double positive,
    double negative,
    int sentimentWords,
    int tokens,
    int negations,
    int exclamations,
    int questions,
    boolean crisis,
    boolean glossaryTerm) {

  public static final int DIMENSION = 10;

  /** The numeric features a learned head reads; every entry is roughly in [-1, 1]. */
  public double[] vector() {
    double total = positive + negative + (tokens - sentimentWords) * 0.5 + 1e-9;
    return new double[] {
      compound,
      compound * compound * Math.signum(compound),
      Math.tanh(positive / 4),
      Math.tanh(negative / 4),
      positive / total,
      negative / total,
      sentimentWords == 0 ? 1 : 0,
      negations > 0 ? 1 : 0,
      exclamations / 4.0,
      questions / 4.0
    };
  }
}
