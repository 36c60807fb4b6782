package dev.pulse.local;

import dev.pulse.event.ScoredPost;
import dev.pulse.tracing.PulseTracing;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The local run's "score" spans: the stream core's {@link dev.pulse.stream.ScoreSpans} (the same spans the Spark
 * job's executors make) on the loop's Kafka records, with the process' tracing, which it closes. A span lasts from
 * the moment the record is read to the moment its scored record is written, which carries it on to the dashboard.
 * Off (no cost) unless tracing is configured.
 */
final class ScoreSpans implements AutoCloseable {
  private final PulseTracing tracing = PulseTracing.forService(dev.pulse.stream.ScoreSpans.SERVICE);
  private final dev.pulse.stream.ScoreSpans spans;

  ScoreSpans(String pipeline) {
    this.spans = new dev.pulse.stream.ScoreSpans(tracing, pipeline);
  }

  /** A feed record read: its post's span starts (only for a record that carries a trace). */
  void read(ConsumerRecord<String, byte[]> r) {
    spans.read(r.key(), r.headers());
  }

  /** An output record: the scored record of a traced post carries its span (scored records are keyed by post id). */
  void writing(ProducerRecord<String, byte[]> record, Map<String, ScoredPost> scoredById) {
    if (record.key() != null && scoredById.containsKey(record.key())) {
      spans.inject(record.key(), record.headers());
    }
  }

  /** The batch is written: every open span ends, with its post's feed and source. */
  void written(List<ScoredPost> scored) {
    spans.written(scored);
  }

  @Override
  public void close() {
    if (tracing.enabled()) dev.pulse.stream.ScoreSpans.stopCallHeaders();
    tracing.close();
  }
}
