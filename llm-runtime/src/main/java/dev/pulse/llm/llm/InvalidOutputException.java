package dev.pulse.llm.llm;

/** vLLM answered, but the answer failed validation. */
public class InvalidOutputException extends RuntimeException {
  public InvalidOutputException(String message) {
    super(message);
  }
}
