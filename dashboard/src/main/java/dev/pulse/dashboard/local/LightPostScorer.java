package dev.pulse.dashboard.local;

import dev.pulse.dashboard.vector.VectorStore;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Tier;
import dev.pulse.scoring.Glossary;
import dev.pulse.scoring.LightScorer;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.learned.Embedder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores with pipeline-runtime's light scorer in this JVM. With embeddings on, each batch is embedded once
 * (all-MiniLM-L6-v2, int8) and the vectors serve twice, as the Spark job does: the learned tier scores on them and
 * they go into the vector store for "posts like this". With them off, the lexicon tier scores alone.
 */
final class LightPostScorer implements PostScorer {
  private final Glossary glossary;
  private final LightScorer learned;
  private final SentimentScorer lexicon;
  private final VectorStore vectors;
  private final boolean embeddings;
  private final Clock clock;

  LightPostScorer(Glossary glossary, VectorStore vectors, boolean embeddings, Clock clock) {
    this.glossary = glossary;
    // The pipeline's default tier (fast): one MiniLM pass per post, shared with the vector store.
    this.learned = embeddings ? LightScorer.fast(glossary) : null;
    this.lexicon = SentimentScorer.lexicon(glossary);
    this.vectors = vectors;
    this.embeddings = embeddings;
    this.clock = clock;
  }

  /** Loads the ONNX model now, so the first posts do not wait for it. */
  void warmUp() {
    if (embeddings) {
      learned.encode(Embedder.shared(), List.of("warm up"));
    }
  }

  @Override
  public List<ScoredPost> score(List<Post> posts) {
    List<String> texts = posts.stream().map(Post::text).toList();
    List<Score> scores;
    if (embeddings) {
      List<Embedder.PostVectors> vectors = learned.encode(Embedder.shared(), texts);
      scores = learned.scoreEncoded(texts, vectors);
      for (int i = 0; i < posts.size(); i++) {
        this.vectors.upsert(posts.get(i).id(), vectors.get(i).embedding());
      }
    } else {
      scores = lexicon.scoreAll(texts);
    }
    List<ScoredPost> out = new ArrayList<>(posts.size());
    for (int i = 0; i < posts.size(); i++) {
      Score s = scores.get(i);
      out.add(ScoredPost.of(posts.get(i), Label.valueOf(s.label().name()), s.score(), s.confidence(), Tier.LIGHT,
          false, s.crisis() ? "crisis keyword" : null, clock.instant()));
    }
    return out;
  }

  @Override
  public String description() {
    return (embeddings ? "light scorer, fast tier (MiniLM embedding + lexicon), in this JVM" : "lexicon scorer, in this JVM")
        + (glossary.crisisKeywords().isEmpty() ? "" : "; crisis words " + glossary.crisisKeywords());
  }
}
