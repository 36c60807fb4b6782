package dev.pulse.scoring;

import dev.pulse.event.Label;

import dev.pulse.contract.ScoringTier;
import dev.pulse.scoring.glossary.Glossary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-pipeline glossary changes scores and flags crises as configured. */
class GlossaryTest {
  private static final String POST = "Just got the new Tesla cybertruck, it is sick";

  @Test
  void termPolarityOverridesTheLexicon() {
    Score plain = SentimentScorer.lexicon(Glossary.EMPTY).score(POST);
    Glossary brand = new Glossary(List.of(new Glossary.Term("sick", 0.9)), List.of());
    Score withGlossary = SentimentScorer.lexicon(brand).score(POST);
    assertThat(plain.label()).isEqualTo(Label.NEGATIVE);
    assertThat(withGlossary.label()).isEqualTo(Label.POSITIVE);
    assertThat(withGlossary.score()).isGreaterThan(plain.score());
  }

  @Test
  void termPolarityMovesEveryLearnedTierToo() {
    // The glossary reaches the learned tiers through the lexicon features. The full scorer's fine-tuned encoder cannot
    // see it, so the full tier scores a post where a glossary term fires without that pass: the override weighs as
    // much as in the fast tier (-0.49 -> -0.09 here; mixed with the fine-tuned pass it moved only -0.63 -> -0.45).
    Glossary brand = new Glossary(List.of(new Glossary.Term("sick", 0.9)), List.of());
    for (ScoringTier tier : List.of(ScoringTier.fast, ScoringTier.full)) {
      Score plain = SentimentScorer.tier(tier, Glossary.EMPTY).score(POST);
      Score withGlossary = SentimentScorer.tier(tier, brand).score(POST);
      assertThat(withGlossary.score()).as(tier.name()).isGreaterThan(plain.score() + 0.3);
    }
    assertThat(SentimentScorer.full(brand).score(POST).score())
        .isEqualTo(SentimentScorer.fast(brand).score(POST).score());
    // Without a glossary term in the post, the full tier is its own (the fine-tuned pass takes part).
    String other = "Just got the new Tesla cybertruck, it is awful";
    assertThat(SentimentScorer.full(brand).score(other).score())
        .isNotEqualTo(SentimentScorer.fast(brand).score(other).score());
  }

  @Test
  void multiWordTermsAndNeutralisation() {
    String post = "another recall notice from the dealer";
    Glossary g = new Glossary(List.of(new Glossary.Term("recall notice", -1.0)), List.of());
    assertThat(SentimentScorer.lexicon(g).score(post).score())
        .isLessThan(SentimentScorer.lexicon(Glossary.EMPTY).score(post).score());
    // Polarity 0 silences a word the brand uses neutrally ("Killer" as a product name).
    Glossary neutral = new Glossary(List.of(new Glossary.Term("killer", 0)), List.of());
    assertThat(SentimentScorer.lexicon(neutral).score("the Killer headset ships today").label())
        .isEqualTo(Label.NEUTRAL);
  }

  @Test
  void crisisKeywordsAreFlagged() {
    Glossary g = new Glossary(List.of(), List.of("battery fire", "Recall"));
    SentimentScorer scorer = SentimentScorer.lexicon(g);
    assertThat(scorer.score("reports of a battery fire in a parked car").crisis()).isTrue();
    assertThat(scorer.score("RECALL announced for model Y").crisis()).isTrue();
    assertThat(scorer.score("the battery lasts all day, no fire here").crisis()).isFalse();
    assertThat(SentimentScorer.lexicon(Glossary.EMPTY).score("battery fire").crisis()).isFalse();
  }

  @Test
  void polarityOutOfRangeIsRejected() {
    assertThatThrownBy(() -> new Glossary.Term("great", 2.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-1, 1]");
    assertThatThrownBy(() -> new Glossary.Term(" ", 0.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
