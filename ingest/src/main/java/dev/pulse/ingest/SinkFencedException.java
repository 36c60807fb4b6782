package dev.pulse.ingest;

/**
 * Another ingester for the same topic started with the same transactional id and fenced this one (a newer pod
 * replaced it). Not a failed poll to retry: this process must stop, or it would fence the newer pod in turn.
 */
public final class SinkFencedException extends RuntimeException {
  public SinkFencedException(String message, Throwable cause) {
    super(message, cause);
  }
}
