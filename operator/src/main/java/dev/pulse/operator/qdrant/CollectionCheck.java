package dev.pulse.operator.qdrant;

/** What checking a pipeline's collection found; each outcome becomes the VectorStore condition. */
public sealed interface CollectionCheck {

  String CREATED = "CollectionCreated";
  String READY = "CollectionReady";
  String DRIFT = "CollectionDrift";
  String UNREACHABLE = "QdrantUnreachable";
  String UNAUTHORIZED = "QdrantUnauthorized";
  String ERROR = "QdrantError";

  String reason();

  String message();

  boolean ok();

  /** The collection exists with the expected size and distance; {@code created} when this check created it. */
  record Ready(String collection, long points, boolean created, String shape) implements CollectionCheck {
    public String reason() { return created ? CREATED : READY; }
    public String message() {
      return "Collection " + collection + (created ? " created with " : " has ") + shape + " (" + points + " points)";
    }
    public boolean ok() { return true; }
  }

  /** The collection exists but differs from the spec; never recreated by the operator (it holds data). */
  record Drift(String collection, String differences) implements CollectionCheck {
    public String reason() { return DRIFT; }
    public String message() {
      return "Collection " + collection + " differs from spec.vectorStore: " + differences
          + ". Pulse does not recreate a collection holding data: migrate it (or delete it in Qdrant to let the "
          + "operator recreate it empty), or change the spec to match";
    }
    public boolean ok() { return false; }
  }

  /** The pipeline has no spec.vectorStore: nothing to check, and nothing is embedded or stored. */
  record Disabled() implements CollectionCheck {
    public String reason() { return "Disabled"; }
    public String message() {
      return "No spec.vectorStore: posts are scored and aggregated but not embedded or stored, and the dashboard has "
          + "no 'posts like this'. Set spec.vectorStore to a Qdrant to turn them on";
    }
    public boolean ok() { return true; }
  }

  /** Qdrant could not be asked (network, auth, server error); retried with backoff. */
  record Failed(String reason, String message) implements CollectionCheck {
    public boolean ok() { return false; }
  }
}
