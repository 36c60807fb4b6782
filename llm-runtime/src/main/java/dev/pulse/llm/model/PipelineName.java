package dev.pulse.llm.model;

/** A SentimentPipeline's name: a Kubernetes object name (RFC 1123 label). */
public final class PipelineName {
  public static final String PATTERN = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
  public static final String MESSAGE =
      "must be a SentimentPipeline name: lower-case letters, digits and '-', at most 63 characters";

  private PipelineName() {}
}
