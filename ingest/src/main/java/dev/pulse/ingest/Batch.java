package dev.pulse.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Post;
import java.util.List;

/**
 * What one poll found: the posts, the cursor to save once they are acknowledged, and whether the source has
 * nothing more to give (only a replay file ends).
 */
public record Batch(List<Post> posts, ObjectNode nextCursor, boolean exhausted) {}
