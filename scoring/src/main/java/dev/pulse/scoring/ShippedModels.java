package dev.pulse.scoring;

import dev.pulse.scoring.learned.NgramHead;
import dev.pulse.scoring.learned.SoftmaxHead;

/** The trained heads shipped as resources (written by ./pulse train-scorer), read once per JVM. */
final class ShippedModels {
  static final String LEXICON_HEAD = "/scoring/lexicon-head.txt";
  static final String LIGHT_NGRAMS = "/scoring/light-ngrams.bin";

  private ShippedModels() {}

  private static final class Lexicon {
    static final SoftmaxHead HEAD = SoftmaxHead.fromResource(LEXICON_HEAD);
  }

  private static final class Light {
    static final NgramHead NGRAMS = NgramHead.fromResource(LIGHT_NGRAMS);
  }

  static SoftmaxHead lexiconHead() {
    return Lexicon.HEAD;
  }

  static NgramHead lightNgrams() {
    return Light.NGRAMS;
  }
}
