package dev.pulse.ingest;

import java.io.IOException;

/** A response body over the configured cap; reading stopped there (not retried: it would be as large again). */
public final class BodyTooLargeException extends IOException {
  public BodyTooLargeException(String what, long max) {
    super(what + ": the response body is larger than " + max + " bytes; reading stopped");
  }
}
