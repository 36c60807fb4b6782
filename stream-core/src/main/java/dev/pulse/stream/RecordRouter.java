package dev.pulse.stream;

import dev.pulse.event.DeadLetter;
import dev.pulse.event.EventJson;
import dev.pulse.event.Parsed;
import dev.pulse.event.Post;
import dev.pulse.stream.metrics.DeadLetterReason;
import dev.pulse.stream.metrics.PipelineMeters;
import dev.pulse.stream.metrics.StreamMetrics;
import java.io.Serializable;
import java.time.Instant;

/**
 * The parse and clean steps for one Kafka record, as a pure function: a valid post comes out cleaned, keyed by its
 * id; anything else comes out as a {@link DeadLetter} holding the original bytes and the reason, keyed by where it
 * was read (so it is never mistaken for a duplicate). Nothing is dropped here.
 */
public final class RecordRouter implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String pipeline;

  /** A router whose dead letters count under no pipeline's name ("unknown"). */
  public RecordRouter() {
    this(null);
  }

  /** @param pipeline the name dead letters count under (pulse_dead_letters_total{pipeline}) */
  public RecordRouter(String pipeline) {
    this.pipeline = pipeline;
  }

  private PipelineMeters metrics() {
    return StreamMetrics.pipeline(pipeline);
  }

  /** One routed record: the key used for dedup and as the Kafka key, and the JSON of a Post or a DeadLetter. */
  public record Routed(boolean dead, String key, byte[] json) {}

  public Routed route(byte[] value, String topic, int partition, long offset, Instant now) {
    Parsed<Post> parsed = EventJson.parsePost(value);
    if (parsed instanceof Parsed.Valid<Post> valid) {
      Post post = valid.value();
      String cleaned = TextCleaner.clean(post.text());
      if (!cleaned.isEmpty()) {
        Post clean = new Post(post.schemaVersion(), post.id(), post.source(), post.feed(), post.authorHash(), cleaned,
            post.lang(), post.createdAt(), post.ingestedAt(), post.url(), post.geo(), post.engagement());
        return new Routed(false, post.id(), EventJson.toBytes(clean));
      }
      metrics().deadLetter(DeadLetterReason.EMPTY_TEXT);
      return dead(value, "post " + post.id() + " has no text left after cleaning", topic, partition, offset, now);
    }
    String reason = ((Parsed.Invalid<Post>) parsed).reason();
    metrics().deadLetter(DeadLetterReason.ofParseError(value, reason));
    return dead(value, reason, topic, partition, offset, now);
  }

  private static Routed dead(byte[] value, String error, String topic, int partition, long offset, Instant now) {
    DeadLetter letter = DeadLetters.of(value, error, topic, partition, offset, now);
    return new Routed(true, "dlq:" + topic + ":" + partition + ":" + offset, EventJson.toBytes(letter));
  }
}
