package dev.pulse.scoring;

import dev.pulse.scoring.learned.Embedder;
import dev.pulse.scoring.learned.SoftmaxHead;
import dev.pulse.scoring.lexicon.LexiconFeatures;
import dev.pulse.scoring.lexicon.RuleAnalyzer;
import java.util.ArrayList;
import java.util.List;

/**
 * The full light scorer: a softmax head over the all-MiniLM-L6-v2 embedding (the one the pipeline stores in
 * Qdrant anyway) concatenated with the lexicon features. The ONNX model is loaded lazily once per JVM, so an
 * instance serialises as a few kilobytes of weights plus the glossary.
 */
public final class LightScorer implements SentimentScorer {
  private static final long serialVersionUID = 1L;

  private final RuleAnalyzer analyzer;
  private final SoftmaxHead head;

  public LightScorer(Glossary glossary) {
    this(new RuleAnalyzer(glossary), ShippedModels.lightHead());
  }

  public LightScorer(RuleAnalyzer analyzer, SoftmaxHead head) {
    this.analyzer = analyzer;
    this.head = head;
  }

  @Override
  public Score score(String text) {
    return scoreAll(List.of(text)).get(0);
  }

  @Override
  public List<Score> scoreAll(List<String> texts) {
    return scoreWithEmbeddings(texts, Embedder.shared().embed(texts));
  }

  /** Scores posts whose embeddings the caller already has (the Spark job computes them for Qdrant). */
  public List<Score> scoreWithEmbeddings(List<String> texts, float[][] embeddings) {
    List<Score> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      LexiconFeatures f = analyzer.analyze(texts.get(i));
      out.add(Score.fromProbabilities(head.probabilities(features(embeddings[i], f)), f.crisis()));
    }
    return out;
  }

  /** The learned tier's input: the embedding followed by the lexicon features. */
  public static double[] features(float[] embedding, LexiconFeatures f) {
    double[] lex = f.vector();
    double[] x = new double[embedding.length + lex.length];
    for (int i = 0; i < embedding.length; i++) x[i] = embedding[i];
    System.arraycopy(lex, 0, x, embedding.length, lex.length);
    return x;
  }
}
