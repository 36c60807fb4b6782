package dev.pulse.scoring;

import dev.pulse.scoring.learned.Embedder;
import dev.pulse.scoring.learned.LightHeads;
import dev.pulse.scoring.learned.NgramHead;
import dev.pulse.scoring.lexicon.LexiconFeatures;
import dev.pulse.scoring.lexicon.RuleAnalyzer;
import java.util.ArrayList;
import java.util.List;

/**
 * The full light scorer: the average of a few softmax heads ({@link LightHeads}) over the all-MiniLM-L6-v2
 * embedding (the one the pipeline stores in Qdrant anyway), the lexicon features and the token states of the same
 * forward pass pooled by learned attention ({@link Embedder.PostVectors}), mixed with a logistic regression on
 * the post's hashed word unigrams and bigrams and character 3-5-grams ({@link NgramHead}; optional). The ONNX
 * model is loaded lazily once per JVM and the shipped weights serialise as their resource names, so an instance
 * serialises as little more than the glossary.
 */
public final class LightScorer implements SentimentScorer {
  private static final long serialVersionUID = 1L;

  private final RuleAnalyzer analyzer;
  private final LightHeads heads;
  private final NgramHead ngrams; // null: the embedding heads alone

  public LightScorer(Glossary glossary) {
    this(new RuleAnalyzer(glossary), LightHeads.shipped(), ShippedModels.lightNgrams());
  }

  /**
   * @param heads their attention must be the one posts are encoded with ({@link Embedder#shared} pools with the
   *     shipped heads' attention)
   * @param ngrams null: the embedding heads alone
   */
  public LightScorer(RuleAnalyzer analyzer, LightHeads heads, NgramHead ngrams) {
    this.analyzer = analyzer;
    this.heads = heads;
    this.ngrams = ngrams;
  }

  @Override
  public Score score(String text) {
    return scoreAll(List.of(text)).get(0);
  }

  @Override
  public List<Score> scoreAll(List<String> texts) {
    return scoreEncoded(texts, Embedder.shared().encode(texts));
  }

  /**
   * Scores posts whose vectors the caller already has (the Spark job computes them for Qdrant), encoded by an
   * {@link Embedder} whose attention is the one this scorer's head was trained with (the shipped one, for the
   * shipped head).
   */
  public List<Score> scoreEncoded(List<String> texts, List<Embedder.PostVectors> vectors) {
    List<Score> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      LexiconFeatures f = analyzer.analyze(texts.get(i));
      double[] x = features(vectors.get(i).embedding(), f);
      float[] attended = vectors.get(i).attended();
      double[] p = ngrams == null ? heads.probabilities(x, attended)
          : ngrams.probabilities(heads.logits(x, attended), texts.get(i));
      out.add(Score.fromProbabilities(p, f.crisis()));
    }
    return out;
  }

  /** The learned tier's fixed input: the embedding followed by the lexicon features. */
  public static double[] features(float[] embedding, LexiconFeatures f) {
    double[] lex = f.vector();
    double[] x = new double[embedding.length + lex.length];
    for (int i = 0; i < embedding.length; i++) x[i] = embedding[i];
    System.arraycopy(lex, 0, x, embedding.length, lex.length);
    return x;
  }
}
