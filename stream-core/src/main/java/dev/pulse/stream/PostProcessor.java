package dev.pulse.stream;

import dev.pulse.event.LabelledExamples;
import dev.pulse.event.Post;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.event.ScoredPost;
import dev.pulse.stream.metrics.StreamMetrics;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What happens to one partition's posts after dedup: light scoring (which embeds once, when the scorer or the
 * vector sink needs it) → escalation of the unsure ones to the LLM gateway → upsert of the vectors. The output has
 * every input post, in order, whatever the gateway or the vector store did.
 */
public final class PostProcessor implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String pipeline;
  private final PostScorer scorer;
  private final LlmEscalator escalator;
  private final VectorSink vectors;

  /** @param escalator null: no LLM in this pipeline */
  public PostProcessor(String pipeline, PostScorer scorer, LlmEscalator escalator, VectorSink vectors) {
    this.pipeline = pipeline;
    this.scorer = scorer;
    this.escalator = escalator;
    this.vectors = vectors;
    StreamMetrics.pipeline(pipeline); // its counters at 0 before the first event (see StreamMetrics.pipeline)
  }

  /** The processor a pipeline's settings describe: its scorer tier, vector store and LLM escalation. */
  public static PostProcessor of(PipelineSettings s) {
    return of(s, switch (s.vectorStore()) {
      case qdrant -> new QdrantVectorSink(s.qdrantHost(), s.qdrantPort(), s.qdrantTls(), s.qdrantCollection(),
          s.llmTimeout().plusSeconds(3), s.qdrantBatchSize());
      case memory -> new InMemoryVectorSink(s.pipeline());
      case none -> VectorSink.NONE;
    });
  }

  /** The same, with the vectors going to {@code sink} (./pulse local: the dashboard's in-memory store). */
  public static PostProcessor of(PipelineSettings s, VectorSink sink) {
    SentimentScorer scorer = SentimentScorer.tier(s.scorerTier(), s.glossary());
    LlmEscalator escalator = s.gatewayUrl() == null || s.escalationThreshold() <= 0 ? null
        : new LlmEscalator(s.gatewayUrl(), s.pipeline(), s.escalationThreshold(), s.llmTimeout(),
            Math.min(LlmEscalator.GATEWAY_MAX_BATCH, s.llmBatchSize()));
    return new PostProcessor(s.pipeline(), new LightPostScorer(scorer, sink.wantsVectors(), s.embedding()), escalator,
        sink);
  }
  public static PostProcessor lightOnly(PostScorer scorer) {
    return new PostProcessor("local", scorer, null, VectorSink.NONE);
  }

  /** Its escalation to the LLM gateway, or null when the pipeline has none. */
  public LlmEscalator escalator() {
    return escalator;
  }

  /** The same scoring and vectors without the escalation (the caller escalates off its loop: {@link AsyncEscalation}). */
  public PostProcessor withoutEscalation() {
    return escalator == null ? this : new PostProcessor(pipeline, scorer, null, vectors);
  }

  /** The pipeline whose posts this processes (the label its meters carry). */
  public String pipeline() {
    return pipeline;
  }

  /** A post that could not be processed, and why (the exception's class and message). */
  public record Failed(Post post, String reason) implements Serializable {}

  /**
   * What {@link #processEach} made of a chunk: the scored posts in order, the ones that failed, and the LLM verdicts
   * among them that disagree confidently with their light score (the Spark job writes them to the labelled topic).
   */
  public record Outcome(List<ScoredPost> scored, List<Failed> failed, List<AsyncEscalation.Disagreement> disagreements) {
    public Outcome(List<ScoredPost> scored, List<Failed> failed) {
      this(scored, failed, List.of());
    }
  }

  /** One call's scored posts, and the confident disagreements of the LLM with the light scorer among them. */
  private record Processed(List<ScoredPost> scored, List<AsyncEscalation.Disagreement> disagreements) {}

  /**
   * As {@link #process}, but an exception costs only the post that causes it: the chunk is processed whole, and if
   * that throws, each post alone; a post that still throws comes out in {@link Outcome#failed} (the caller
   * dead-letters it) and is counted as a dead letter. Errors (out of memory, ...) are not caught. Retried alone, the
   * posts before the faulty one may be escalated or upserted twice: upserts overwrite their own point, and
   * escalation costs LLM budget only.
   */
  public Outcome processEach(List<Post> posts, Instant now) {
    try {
      Processed all = processed(posts, now);
      return new Outcome(all.scored(), List.of(), all.disagreements());
    } catch (RuntimeException chunkFailed) {
      List<ScoredPost> scored = new java.util.ArrayList<>(posts.size());
      List<Failed> failed = new java.util.ArrayList<>();
      List<AsyncEscalation.Disagreement> disagreements = new java.util.ArrayList<>();
      for (Post post : posts) {
        try {
          Processed one = processed(List.of(post), now);
          scored.addAll(one.scored());
          disagreements.addAll(one.disagreements());
        } catch (RuntimeException e) {
          failed.add(new Failed(post, "scoring failed: " + e.getClass().getName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())));
          StreamMetrics.pipeline(pipeline).deadLetter(dev.pulse.stream.metrics.DeadLetterReason.SCORING_FAILED);
        }
      }
      return new Outcome(scored, failed, disagreements);
    }
  }

  public List<ScoredPost> process(List<Post> posts, Instant now) {
    return processed(posts, now).scored();
  }

  private Processed processed(List<Post> posts, Instant now) {
    if (posts.isEmpty()) {
      return new Processed(List.of(), List.of());
    }
    ScoredBatch batch = scorer.scoreBatch(posts, now);
    List<ScoredPost> scored = escalator == null ? batch.posts() : escalator.escalate(batch.posts(), now);
    StreamMetrics.pipeline(pipeline).scored(scored, now);
    if (batch.vectors() != null && vectors.wantsVectors()) {
      vectors.upsert(pipeline, scored, batch.vectors());
    }
    return new Processed(scored, disagreements(batch.posts(), scored));
  }

  /** Escalation keeps the posts' order and count, so light score i and verdict i are the same post's. */
  private static List<AsyncEscalation.Disagreement> disagreements(List<ScoredPost> light, List<ScoredPost> scored) {
    List<AsyncEscalation.Disagreement> out = new java.util.ArrayList<>();
    for (int i = 0; i < scored.size(); i++) {
      if (LabelledExamples.confidentDisagreement(light.get(i), scored.get(i))) {
        out.add(new AsyncEscalation.Disagreement(light.get(i), scored.get(i)));
      }
    }
    return out;
  }
}
