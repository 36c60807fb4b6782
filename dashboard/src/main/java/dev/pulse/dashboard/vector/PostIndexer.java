package dev.pulse.dashboard.vector;

import dev.pulse.event.ScoredPost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds consumed posts into the vector store on its own thread, in batches, so embedding never delays what the
 * dashboard shows. When it falls behind, posts past the queue's capacity are not indexed (counted), never blocked.
 */
public final class PostIndexer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostIndexer.class);
  private final BlockingQueue<ScoredPost> queue = new ArrayBlockingQueue<>(10_000);
  private final TextEmbedder embedder;
  private final VectorStore store;
  private final Counter skipped;
  private final Thread thread;
  private volatile boolean running = true;

  public PostIndexer(TextEmbedder embedder, VectorStore store, MeterRegistry registry) {
    this.embedder = embedder;
    this.store = store;
    this.skipped = Counter.builder("pulse.dashboard.vectors.skipped")
        .description("posts not embedded because the indexer was behind").register(registry);
    this.thread = new Thread(this::run, "pulse-post-indexer");
    thread.setDaemon(true);
    thread.start();
  }

  public void offer(ScoredPost post) {
    if (!queue.offer(post)) {
      skipped.increment();
    }
  }

  private void run() {
    List<ScoredPost> batch = new ArrayList<>(64);
    while (running) {
      try {
        ScoredPost first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 63);
        float[][] vectors = embedder.embed(batch.stream().map(p -> p.post().text()).toList());
        for (int i = 0; i < vectors.length; i++) {
          store.upsert(batch.get(i).post().id(), vectors[i]);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("could not embed {} posts: {}", batch.size(), e.toString());
      } finally {
        batch.clear();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
