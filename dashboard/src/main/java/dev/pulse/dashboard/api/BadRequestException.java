package dev.pulse.dashboard.api;

/** A request the caller got wrong; answered 400 with this message. */
public class BadRequestException extends RuntimeException {
  public BadRequestException(String message) {
    super(message);
  }
}
