package dev.pulse.ingest;

import java.util.Map;
import java.util.Optional;

/**
 * A credential read from an environment variable the operator fills from a Kubernetes Secret. Its toString never
 * shows the value, so it cannot leak through a log line or an exception message by accident.
 */
public final class Secret {
  private final String name;
  private final String value;

  private Secret(String name, String value) {
    this.name = name;
    this.value = value;
  }

  public static Optional<Secret> fromEnv(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(new Secret(name, value.trim()));
  }

  public static Secret require(Map<String, String> env, String name) {
    return fromEnv(env, name).orElseThrow(() -> new IllegalArgumentException(
        "environment variable " + name + " is not set (the operator fills it from the feed's Secret)"));
  }

  /** The value, for building a request header; never pass it to a logger. */
  public String reveal() {
    return value;
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "Secret[" + name + "=****]";
  }
}
