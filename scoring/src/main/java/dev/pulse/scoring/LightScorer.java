package dev.pulse.scoring;

import dev.pulse.scoring.glossary.Glossary;

import dev.pulse.scoring.learned.Embedder;
import dev.pulse.scoring.learned.LightHeads;
import dev.pulse.scoring.learned.NgramHead;
import dev.pulse.scoring.learned.TunedMix;
import dev.pulse.scoring.lexicon.LexiconFeatures;
import dev.pulse.scoring.lexicon.RuleAnalyzer;
import java.util.ArrayList;
import java.util.List;

/**
 * The full light scorer: the average of a few softmax heads ({@link LightHeads}) over the all-MiniLM-L6-v2
 * embedding (the one the pipeline stores in Qdrant anyway), the lexicon features and the token states of the same
 * forward pass pooled by learned attention ({@link Embedder.PostVectors}), mixed with a logistic regression on
 * the post's hashed word unigrams and bigrams and character 3-5-grams ({@link NgramHead}; optional). The full
 * scorer then mixes in the logits of e5-small-v2 fine-tuned for sentiment ({@link TunedMix}; a second forward
 * pass per post, see {@link Embedder#encodeTuned}); the fast scorer stops before it. The ONNX models are loaded lazily
 * once per JVM and the shipped weights serialise as their resource names, so an instance serialises as little more
 * than the glossary.
 */
public final class LightScorer implements SentimentScorer {
  private static final long serialVersionUID = 1L;

  private final RuleAnalyzer analyzer;
  private final LightHeads heads;
  private final NgramHead ngrams; // null: the embedding heads alone
  private final TunedMix tuned; // null: no fine-tuned encoder pass (the fast scorer)

  /** The full light scorer: every shipped part, the fine-tuned encoder included. */
  public LightScorer(Glossary glossary) {
    this(new RuleAnalyzer(glossary), LightHeads.shipped(), ShippedModels.lightNgrams(), TunedMix.shipped());
  }

  /** The fast light scorer: the shipped heads on the one MiniLM pass the vector store needs anyway. */
  public static LightScorer fast(Glossary glossary) {
    return new LightScorer(new RuleAnalyzer(glossary), LightHeads.shipped(), ShippedModels.lightNgrams(), null);
  }

  /**
   * @param heads their attention must be the one posts are encoded with ({@link Embedder#shared} pools with the
   *     shipped heads' attention)
   * @param ngrams null: the embedding heads alone
   */
  public LightScorer(RuleAnalyzer analyzer, LightHeads heads, NgramHead ngrams) {
    this(analyzer, heads, ngrams, null);
  }

  /** @param tuned null: no fine-tuned encoder pass */
  public LightScorer(RuleAnalyzer analyzer, LightHeads heads, NgramHead ngrams, TunedMix tuned) {
    this.analyzer = analyzer;
    this.heads = heads;
    this.ngrams = ngrams;
    this.tuned = tuned;
  }

  /** True when this scorer runs the fine-tuned encoder (and so needs {@link Embedder#encodeTuned}'s vectors). */
  public boolean tuned() {
    return tuned != null;
  }

  /** The vectors this scorer reads, from {@code embedder} (which also gives the vector store its embeddings). */
  public List<Embedder.PostVectors> encode(Embedder embedder, List<String> texts) {
    return tuned != null ? embedder.encodeTuned(texts) : embedder.encode(texts);
  }

  @Override
  public Score score(String text) {
    return scoreAll(List.of(text)).get(0);
  }

  @Override
  public List<Score> scoreAll(List<String> texts) {
    return scoreEncoded(texts, encode(Embedder.shared(), texts));
  }

  /**
   * Scores posts whose vectors the caller already has (the Spark job computes them for Qdrant), encoded by an
   * {@link Embedder} whose attention is the one this scorer's head was trained with (the shipped one, for the
   * shipped head), and holding the tuned encoder's logits if this scorer mixes them in ({@link #encode}).
   */
  public List<Score> scoreEncoded(List<String> texts, List<Embedder.PostVectors> vectors) {
    List<Score> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      LexiconFeatures f = analyzer.analyze(texts.get(i));
      double[] x = features(vectors.get(i).embedding(), f);
      float[] attended = vectors.get(i).attended();
      double[] p = ngrams == null ? heads.probabilities(x, attended)
          : ngrams.probabilities(heads.logits(x, attended), texts.get(i));
      // The fine-tuned encoder cannot know a pipeline's glossary, so a post where a glossary term fired is left to
      // the parts that read it (the overrides then weigh as much as in the fast tier).
      if (tuned != null && !f.glossaryTerm()) {
        double[] z = vectors.get(i).tuned();
        if (z == null) throw new IllegalArgumentException("post " + i + " has no tuned-encoder logits: encode with LightScorer.encode");
        p = tuned.probabilities(p, z);
      }
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
