package dev.pulse.llm.rag;

import dev.pulse.llm.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Embeds a text and retrieves its context; a failure on the way gives an empty context. */
public final class EmbeddingRetriever {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingRetriever.class);

  private final Embedder embedder;
  private final ContextRetriever retriever;
  private final GatewayMetrics metrics;

  public EmbeddingRetriever(Embedder embedder, ContextRetriever retriever, GatewayMetrics metrics) {
    this.embedder = embedder;
    this.retriever = retriever;
    this.metrics = metrics;
  }

  public RetrievedContext contextFor(String pipeline, String text) {
    float[] vector;
    try {
      vector = embedder.embed(text);
    } catch (RuntimeException e) {
      metrics.retrievalFailed();
      LOG.warn("embedding failed, prompting without context: {}", e.toString());
      return RetrievedContext.EMPTY;
    }
    return retriever.retrieve(pipeline, vector);
  }
}
