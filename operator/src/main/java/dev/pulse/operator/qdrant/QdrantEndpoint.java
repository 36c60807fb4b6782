package dev.pulse.operator.qdrant;

/**
 * Where a pipeline's collection lives and how to authenticate. {@link #toString()} never shows the key:
 * this record may end up in a log line or an exception message.
 */
public record QdrantEndpoint(String host, int port, boolean tls, String apiKey) {

  @Override
  public String toString() {
    return (tls ? "https://" : "http://") + host + ":" + port + (apiKey == null ? "" : " (with API key)");
  }
}
