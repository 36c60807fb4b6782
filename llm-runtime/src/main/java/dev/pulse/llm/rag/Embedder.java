package dev.pulse.llm.rag;

import dev.langchain4j.model.embedding.EmbeddingModel;

/** Turns a post into the 384-dimension all-MiniLM-L6-v2 vector the Spark job stores in Qdrant. */
public final class Embedder {
  private final EmbeddingModel model;

  public Embedder(EmbeddingModel model) {
    this.model = model;
  }

  public float[] embed(String text) {
    return model.embed(text).content().vector();
  }
}
