package dev.pulse.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Post;
import java.util.List;

/**
 * What one poll found: the posts, the items that could not be made into posts ({@link Rejected}: skipped, counted
 * and dead-lettered, never a reason to fail the poll), the cursor to save once they are acknowledged, and whether
 * the source has nothing more to give (only a replay file ends).
 */
public record Batch(List<Post> posts, List<Rejected> rejected, ObjectNode nextCursor, boolean exhausted) {

  public Batch {
    posts = List.copyOf(posts);
    rejected = List.copyOf(rejected);
  }

  public Batch(List<Post> posts, ObjectNode nextCursor, boolean exhausted) {
    this(posts, List.of(), nextCursor, exhausted);
  }
}
