package dev.pulse.dashboard.api;

/** An unknown pipeline or post; answered 404 with this message. */
public class NotFoundException extends RuntimeException {
  public NotFoundException(String message) {
    super(message);
  }
}
