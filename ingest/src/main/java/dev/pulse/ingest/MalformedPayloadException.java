package dev.pulse.ingest;

import java.io.IOException;

/** The API answered 2xx with a body we cannot read: counted and logged, and the cursor is left where it was. */
public final class MalformedPayloadException extends IOException {
  public MalformedPayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
