package dev.pulse.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Post;
import java.util.List;
import java.util.Optional;

/**
 * Where accepted posts go. A batch is delivered together with the cursor that follows it, so that a sink that can
 * store both atomically (Kafka, in one transaction) lets a new pod with no checkpoint file carry on where the last
 * delivered batch ended. Items that cannot be delivered as posts (rejected by the source, or too large for the
 * sink) go with it to the dead-letter topic where there is one.
 */
public interface PostSink extends AutoCloseable {
  /**
   * Returns only once every post that can be sent (and the cursor, where the sink keeps one) is durably delivered,
   * or throws. A post the sink cannot ever send (over the record size limit) is not a reason to fail: it is returned
   * among the rejected items, so one bad post never blocks its batch.
   */
  Delivery send(List<Post> posts, List<Rejected> rejected, ObjectNode cursorAfter) throws Exception;

  /**
   * What a send delivered.
   *
   * @param posts posts written
   * @param rejected every item not written as a post: the source's rejects and the sink's own (too large)
   * @param deadLettered true when the rejected items were written to a dead-letter topic, false when they were not
   *     (no dead-letter topic configured: they are only logged and counted)
   */
  record Delivery(int posts, List<Rejected> rejected, boolean deadLettered) {}

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
