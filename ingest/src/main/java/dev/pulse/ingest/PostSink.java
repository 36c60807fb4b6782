package dev.pulse.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Post;
import java.util.List;
import java.util.Optional;

/**
 * Where accepted posts go. A batch is delivered together with the cursor that follows it, so that a sink that can
 * store both atomically (Kafka, in one transaction) lets a new pod with no checkpoint file carry on where the last
 * delivered batch ended.
 */
public interface PostSink extends AutoCloseable {
  /** Returns only once every post (and the cursor, where the sink keeps one) is durably delivered, or throws. */
  void send(List<Post> posts, ObjectNode cursorAfter) throws Exception;

  /**
   * The cursor stored with the newest delivered batch and that batch's sequence number; empty when the sink keeps
   * none or none was stored.
   */
  default Optional<StoredCursor> recoverCursor() throws Exception {
    return Optional.empty();
  }

  /** The sequence number of the newest batch delivered (0 when none, or when the sink keeps no cursor). */
  default long lastSeq() {
    return 0;
  }

  /** A cursor stored with a batch, and the batch's sequence number (one more than the batch before it). */
  record StoredCursor(long seq, ObjectNode cursor) {}

  @Override
  void close();
}
