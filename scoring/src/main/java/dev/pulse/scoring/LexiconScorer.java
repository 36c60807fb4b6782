package dev.pulse.scoring;

import dev.pulse.scoring.glossary.Glossary;

import dev.pulse.scoring.learned.SoftmaxHead;
import dev.pulse.scoring.lexicon.LexiconFeatures;
import dev.pulse.scoring.lexicon.RuleAnalyzer;

/**
 * Tier 1: the rules' features mapped to calibrated class probabilities by a 10-weight-per-class softmax
 * (trained with the learned tier, so its confidence means the same thing).
 */
public final class LexiconScorer implements SentimentScorer {
  private static final long serialVersionUID = 1L;

  private final RuleAnalyzer analyzer;
  private final SoftmaxHead head;

  public LexiconScorer(Glossary glossary) {
    this(new RuleAnalyzer(glossary), ShippedModels.lexiconHead());
  }

  public LexiconScorer(RuleAnalyzer analyzer, SoftmaxHead head) {
    this.analyzer = analyzer;
    this.head = head;
  }

  @Override
  public Score score(String text) {
    LexiconFeatures f = analyzer.analyze(text);
    return Score.fromProbabilities(head.probabilities(f.vector()), f.crisis());
  }
}
