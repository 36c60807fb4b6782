package dev.pulse.scoring;

import dev.pulse.contract.ScoringTier;
import dev.pulse.scoring.glossary.Glossary;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The light scorer as the Spark job sees it. Implementations are pure, deterministic and thread-safe, and
 * serializable so that a driver can ship one to its executors (heavy state is rebuilt there lazily).
 */
public interface SentimentScorer extends Serializable {

  Score score(String text);

  /** Scores a batch in order; tiers that embed override it to embed the batch at once. */
  default List<Score> scoreAll(List<String> texts) {
    List<Score> out = new ArrayList<>(texts.size());
    for (String t : texts) out.add(score(t));
    return out;
  }

  /** The lexicon-and-rules tier alone: no model to load, ~5 * 10^5 posts/s per core. */
  static SentimentScorer lexicon(Glossary glossary) {
    return new LexiconScorer(glossary);
  }

  /**
   * The full light scorer: the learned tier on the MiniLM embedding plus lexicon features, mixed with e5-small-v2
   * fine-tuned for sentiment (a second forward pass per post).
   */
  static SentimentScorer full(Glossary glossary) {
    return new LightScorer(glossary);
  }

  /** The full scorer without the fine-tuned encoder: one MiniLM pass per post, about twice the posts/s. */
  static SentimentScorer fast(Glossary glossary) {
    return LightScorer.fast(glossary);
  }

  /** The scorer of a pipeline's tier (the one enum of tiers, shared with the operator: {@link ScoringTier}). */
  static SentimentScorer tier(ScoringTier tier, Glossary glossary) {
    return switch (tier) {
      case full -> full(glossary);
      case fast -> fast(glossary);
      case lexicon -> lexicon(glossary);
    };
  }
}
