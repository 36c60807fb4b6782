package dev.pulse.ingest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Finds the newest committed {@link CursorHeader} on the feed's topic. The ingester is the topic's only writer and
 * puts the header on the last record of each transaction, so the newest committed batch's header sits on the last
 * committed record of some partition: read each partition's tail (read_committed, so aborted records and control
 * markers are skipped), keep the last committed record if it has the header, and take the highest sequence number.
 * A tail window that holds no committed record at all (a run of aborted batches) is widened until it does or the
 * partition's start is reached. Cost: a few hundred records per partition, once per start.
 */
final class KafkaCursorReader {
  private static final int FIRST_WINDOW = 256;
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private final String bootstrapServers;
  private final String topic;
  private final Map<String, String> extra;

  KafkaCursorReader(String bootstrapServers, String topic, Map<String, String> extra) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.extra = extra;
  }

  Optional<CursorHeader.Value> newest() throws IOException {
    Properties p = new Properties();
    if (extra != null) {
      // Only the connection settings of the producer's extras (TLS, SASL) apply to this reader.
      extra.forEach((k, v) -> {
        if (k.startsWith("security.") || k.startsWith("ssl.") || k.startsWith("sasl.")) {
          p.put(k, v);
        }
      });
    }
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    Instant deadline = Instant.now().plus(DEADLINE);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        return Optional.empty();
      }
      Optional<CursorHeader.Value> best = Optional.empty();
      for (PartitionInfo info : infos) {
        Optional<CursorHeader.Value> tail = lastCommitted(consumer, new TopicPartition(topic, info.partition()),
            deadline);
        if (tail.isPresent() && (best.isEmpty() || tail.get().seq() > best.get().seq())) {
          best = tail;
        }
      }
      return best;
    }
  }

  /** The header of the partition's last committed record, if that record carries one. */
  private Optional<CursorHeader.Value> lastCommitted(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp,
      Instant deadline) throws IOException {
    consumer.assign(List.of(tp));
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp); // the last stable offset, under read_committed
    for (long window = FIRST_WINDOW; ; window *= 4) {
      long from = Math.max(begin, end - window);
      consumer.seek(tp, from);
      ConsumerRecord<byte[], byte[]> last = null;
      while (consumer.position(tp) < end) {
        if (Instant.now().isAfter(deadline)) {
          throw new IOException("reading the cursor from " + tp + " took longer than " + DEADLINE);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() < end) {
            last = r;
          }
        }
      }
      if (last != null) {
        Header h = last.headers().lastHeader(CursorHeader.NAME);
        return h == null ? Optional.empty() : Optional.of(CursorHeader.decode(h.value()));
      }
      if (from == begin) {
        return Optional.empty();
      }
    }
  }
}
