package dev.pulse.scoring.eval;

/** A labelled data set that cannot be used as given; the message says which file, which line and why. */
public final class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }
}
