package dev.pulse.ingest;

import dev.pulse.contract.IngestConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.EventJson;
import dev.pulse.event.Parsed;
import dev.pulse.event.Post;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a JSONL file of posts (one {@link Post} per line, in the event schema) at a fixed rate, or as fast as
 * possible with rate 0. Each post is re-stamped with this feed's name and the time it is ingested, so latency is
 * measured from here. The cursor is the number of lines consumed; a line that is not a valid post is counted,
 * logged with its line number, dead-lettered and skipped (it is still in the file). The file ending ends the
 * ingester, unless the feed loops: then the file starts again, pass n's ids suffixed with {@code ~n} (the dedup
 * stages drop a repeated id, so a pass with the same ids would score nothing), its bad lines skipped without a second
 * dead letter. The cursor then also holds the pass and the posts sent in it: a file with no valid post is never
 * looped (it would spin a core sending nothing).
 */
public final class ReplaySource implements FeedSource {
  /** At a fixed rate a batch spans at most this long, so batching adds little latency. */
  private static final double MAX_BATCH_SECONDS = 0.05;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String feedName;
  private final Path file;
  private final double rate;
  private final int batchSize;
  private final Http http;
  private final boolean loops;
  private BufferedReader reader;
  private long position;
  private long startNanos = -1;
  private long emitted;

  public ReplaySource(String feedName, IngestConfig.Replay config, Http http) {
    this.feedName = feedName;
    this.file = Path.of(config.file());
    this.rate = config.rate() == null ? 0 : config.rate();
    int configured = config.batchSize() == null ? 1000 : config.batchSize();
    this.batchSize = rate > 0 ? (int) Math.max(1, Math.min(configured, rate * MAX_BATCH_SECONDS)) : configured;
    this.http = http;
    this.loops = config.loops();
  }

  @Override
  public Batch poll(ObjectNode cursor) throws IOException, InterruptedException {
    long line = cursor.path("line").asLong(0);
    long pass = cursor.path("pass").asLong(0);
    long passPosts = cursor.path("passPosts").asLong(0);
    if (reader == null || position != line) {
      reopenAt(line);
    }
    List<Post> posts = new ArrayList<>(batchSize);
    List<Rejected> rejected = new ArrayList<>();
    boolean exhausted = false;
    while (posts.size() < batchSize) {
      String text = reader.readLine();
      if (text == null) {
        if (!loops || passPosts + posts.size() == 0) {
          exhausted = true;
          break;
        }
        pass++;
        passPosts = -posts.size(); // counts this pass's posts from here on, with those already in the batch
        reopenAt(0);
        continue;
      }
      position++;
      if (text.isBlank()) {
        continue;
      }
      Parsed<Post> parsed = parseCompleted(text);
      if (parsed instanceof Parsed.Invalid<Post> invalid) {
        if (pass == 0) { // dead-lettered once, not again on every pass
          // Counted and logged by the loop, and dead-lettered with the line.
          rejected.add(Rejected.invalid(file + " line " + position, null, text, "not a valid post: "
              + invalid.reason()));
        }
        continue;
      }
      pace();
      Instant now = http.clock().instant();
      Post post = ((Parsed.Valid<Post>) parsed).value().withFeed(feedName).withIngestedAt(now);
      posts.add(pass == 0 ? post : post.withId(post.id() + "~" + pass));
    }
    http.metrics().fetched(posts.size());
    ObjectNode next = cursor.deepCopy();
    next.put("line", position);
    if (loops) {
      next.put("pass", pass);
      next.put("passPosts", passPosts + posts.size());
    }
    return new Batch(posts, rejected, next, exhausted);
  }

  /**
   * A recorded post need not name a feed or an ingest time: this ingester sets both on every post it replays, so a
   * line without them (a hand-written ConfigMap) is completed before it is parsed instead of being rejected.
   */
  private Parsed<Post> parseCompleted(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    JsonNode tree;
    try {
      tree = JSON.readTree(bytes);
    } catch (IOException notJson) {
      return EventJson.parsePost(bytes); // says why, as for any record
    }
    if (tree instanceof ObjectNode post) {
      if (!post.hasNonNull("feed")) {
        post.put("feed", feedName);
      }
      if (!post.hasNonNull("ingestedAt")) {
        post.put("ingestedAt", http.clock().instant().toString());
      }
    }
    return EventJson.parse(tree, Post.class);
  }

  /** Waits until the next post is due: post n of the run is due n / rate seconds after the first. */
  private void pace() throws InterruptedException {
    if (rate <= 0) {
      return;
    }
    long now = System.nanoTime();
    if (startNanos < 0) {
      startNanos = now;
    }
    long due = startNanos + (long) (emitted * 1_000_000_000L / rate);
    emitted++;
    if (due > now) {
      Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
    }
  }

  private void reopenAt(long line) throws IOException {
    if (reader != null) {
      reader.close();
    }
    if (!Files.isReadable(file)) {
      throw new IOException("replay file " + file + " does not exist or is not readable");
    }
    reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    position = 0;
    while (position < line && reader.readLine() != null) {
      position++;
    }
  }
}
