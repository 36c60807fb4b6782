package dev.pulse.scoring;

import dev.pulse.scoring.learned.Embedder;
import dev.pulse.scoring.learned.NgramHead;
import dev.pulse.scoring.learned.SoftmaxHead;
import dev.pulse.scoring.lexicon.LexiconFeatures;
import dev.pulse.scoring.lexicon.RuleAnalyzer;
import java.util.ArrayList;
import java.util.List;

/**
 * The full light scorer: a softmax head over the all-MiniLM-L6-v2 embedding (the one the pipeline stores in
 * Qdrant anyway), the lexicon features and the token states of the same forward pass pooled by a learned
 * {@link dev.pulse.scoring.learned.TokenAttention} (see {@link Embedder.PostVectors}), mixed with a logistic regression on the post's hashed
 * word unigrams and bigrams and character 3-5-grams ({@link NgramHead}; optional). The ONNX model is loaded
 * lazily once per JVM and the shipped n-gram weights serialise as their resource name, so an instance
 * serialises as the embedding head's weights (~200 KB) plus the glossary.
 */
public final class LightScorer implements SentimentScorer {
  private static final long serialVersionUID = 1L;

  private final RuleAnalyzer analyzer;
  private final SoftmaxHead head;
  private final NgramHead ngrams; // null: the embedding head alone

  public LightScorer(Glossary glossary) {
    this(new RuleAnalyzer(glossary), ShippedModels.lightHead(), ShippedModels.lightNgrams());
  }

  /** The embedding head alone (no n-gram model). */
  public LightScorer(RuleAnalyzer analyzer, SoftmaxHead head) {
    this(analyzer, head, null);
  }

  public LightScorer(RuleAnalyzer analyzer, SoftmaxHead head, NgramHead ngrams) {
    this.analyzer = analyzer;
    this.head = head;
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
      double[] x = features(vectors.get(i), f);
      double[] p = ngrams == null ? head.probabilities(x) : ngrams.probabilities(head.logits(x), texts.get(i));
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

  /** The head's whole input: the fixed features, then the attention-pooled token states. */
  static double[] features(Embedder.PostVectors v, LexiconFeatures f) {
    double[] fixed = features(v.embedding(), f);
    float[] att = v.attended();
    double[] x = java.util.Arrays.copyOf(fixed, fixed.length + att.length);
    for (int i = 0; i < att.length; i++) x[fixed.length + i] = att[i];
    return x;
  }
}
