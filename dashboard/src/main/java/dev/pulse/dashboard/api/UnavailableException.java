package dev.pulse.dashboard.api;

/** A part the dashboard relies on (the vector store) is not answering; answered 503 with this message. */
public class UnavailableException extends RuntimeException {
  public UnavailableException(String message) {
    super(message);
  }
}
