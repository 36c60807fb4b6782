package dev.pulse.ingest;

import dev.pulse.event.Post;
import java.util.List;

/** Where accepted posts go; returns only once every post is acknowledged, or throws. */
public interface PostSink extends AutoCloseable {
  void sendAll(List<Post> posts) throws Exception;

  @Override
  void close();
}
