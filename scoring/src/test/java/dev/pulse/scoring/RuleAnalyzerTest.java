package dev.pulse.scoring;

import dev.pulse.scoring.glossary.Glossary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.scoring.lexicon.RuleAnalyzer;
import org.junit.jupiter.api.Test;

/** Known phrases: each rule moves the compound score the way its documentation says. */
class RuleAnalyzerTest {
  private final RuleAnalyzer rules = new RuleAnalyzer(Glossary.EMPTY);

  private double compound(String text) {
    return rules.analyze(text).compound();
  }

  @Test
  void sentimentWordsHaveTheirSign() {
    assertThat(compound("I love this phone")).isPositive();
    assertThat(compound("I hate this phone")).isNegative();
    assertThat(compound("The phone arrived on Tuesday")).isZero();
  }

  @Test
  void negationFlipsPolarity() {
    assertThat(compound("this movie is good")).isPositive();
    assertThat(compound("this movie is not good")).isNegative();
    assertThat(compound("this movie isn't good")).isNegative();
    assertThat(compound("the service was never bad")).isPositive();
  }

  @Test
  void intensifiersRaiseAndDampenersLowerMagnitude() {
    double plain = compound("the update is good");
    assertThat(compound("the update is very good")).isGreaterThan(plain);
    assertThat(compound("the update is extremely good")).isGreaterThan(plain);
    assertThat(compound("the update is slightly good")).isLessThan(plain).isPositive();
    assertThat(compound("the update is very bad")).isLessThan(compound("the update is bad"));
  }

  @Test
  void capitalsAndExclamationsAreEmphasis() {
    assertThat(compound("this is GREAT news")).isGreaterThan(compound("this is great news"));
    assertThat(compound("this is great news!!!")).isGreaterThan(compound("this is great news"));
    // In an all-caps post capitals carry no extra emphasis.
    assertThat(compound("THIS IS GREAT NEWS")).isEqualTo(compound("this is great news"));
  }

  @Test
  void contrastWeighsTheClauseAfterBut() {
    assertThat(compound("the food was great but the service was terrible")).isNegative();
    assertThat(compound("the service was terrible but the food was great")).isPositive();
  }

  @Test
  void emojiAndEmoticonsCount() {
    assertThat(compound("new phone 😍")).isPositive();
    assertThat(compound("new phone 😡")).isNegative();
    assertThat(compound("new phone :)")).isPositive();
    assertThat(compound("new phone :(")).isNegative();
    assertThat(compound("happy 😍😍")).isGreaterThan(compound("happy"));
    assertThat(compound("glued to words😂")).isPositive();
  }

  @Test
  void slangAndElongation() {
    assertThat(compound("monday again fml")).isNegative();
    assertThat(compound("that concert was lit")).isPositive();
    assertThat(compound("this is goooood")).isPositive();
    assertThat(compound("this is goooood")).isGreaterThan(compound("this is good"));
    assertThat(compound("soooo good")).isGreaterThan(compound("good"));
    assertThat(compound("#blessed")).isPositive();
  }

  @Test
  void compoundStaysInRange() {
    assertThat(compound("AMAZING!!!! love love love LOVE best best best 😍😍😍😍 :) :D <3"))
        .isLessThanOrEqualTo(1).isGreaterThan(0.95);
    assertThat(compound("awful horrible worst hate hate disgusting 😡😡")).isGreaterThanOrEqualTo(-1).isLessThan(-0.9);
  }

  @Test
  void escapedAndQuotedTextIsNormalised() {
    assertThat(compound("\"I love it\\u002c really\"")).isEqualTo(compound("I love it, really"));
    assertThat(compound("@someone you are awesome http://t.co/x")).isEqualTo(compound("you are awesome"));
  }
}
