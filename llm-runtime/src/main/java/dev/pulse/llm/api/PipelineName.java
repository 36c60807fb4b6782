package dev.pulse.llm.api;

/** A SentimentPipeline's name: a Kubernetes object name (RFC 1123 label). */
final class PipelineName {
  static final String PATTERN = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
  static final String MESSAGE =
      "must be a SentimentPipeline name: lower-case letters, digits and '-', at most 63 characters";

  private PipelineName() {}
}
