package dev.pulse.ingest;

import java.io.IOException;

/** A response the ingester cannot use: a 4xx other than 429, or a 429/5xx still failing after every retry. */
public final class HttpStatusException extends IOException {
  private final int status;

  public HttpStatusException(int status, String what) {
    super(what + " answered HTTP " + status);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
