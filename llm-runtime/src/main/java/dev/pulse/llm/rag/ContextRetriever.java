package dev.pulse.llm.rag;

/** Finds the few-shot context for a post from its embedding. */
public interface ContextRetriever {

  /**
   * Never throws: when the vector store cannot answer, the LLM still gets the post without context.
   */
  RetrievedContext retrieve(String pipeline, float[] embedding);
}
