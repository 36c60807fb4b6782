package dev.pulse.llm.llm;

/** A call to vLLM that brought no answer to validate. */
public class LlmCallException extends RuntimeException {

  public enum Kind {
    /** No answer within the timeout: not retried, vLLM is busy enough already. */
    TIMEOUT,
    /** An error status, a refused connection or a body that is not a chat completion. */
    UPSTREAM_ERROR
  }

  private final Kind kind;

  public LlmCallException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
