package dev.pulse.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.stream.metrics.StreamMetrics;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's data-loss policy, counted and reported. Its Kafka sources run with {@code failOnDataLoss=false}: a
 * pipeline suspended (or lagging) longer than a topic's retention finds the offsets its checkpoint holds deleted, and
 * with {@code true} it could never start again (Spark fails every attempt). Spark then reads on from the earliest
 * offset the broker still has and only logs a warning; this listener counts what was skipped: for each batch, per
 * partition, the broker's earliest offset (read before the batch was reported) minus the offset the batch started
 * from, when positive. It logs each loss with topic, partition and offset range and adds it to
 * {@code pulse_lost_offsets_total{pipeline,topic}}. Offsets, not posts: a transactional topic's commit markers take
 * offsets too, so the count is an upper bound of the records lost.
 */
final class LostOffsets extends StreamingQueryListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LostOffsets.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The broker's earliest offsets of the given topics' partitions. */
  interface Earliest {
    Map<TopicPartition, Long> of(Collection<String> topics) throws Exception;
  }

  private final String pipeline;
  private final Collection<String> topics;
  private final Earliest earliest;
  private final AutoCloseable resource;
  /**
   * The broker is asked at most this often (two queries at a 1 s trigger would ask twice a second): an older answer
   * can only undercount (earliest offsets only grow), never count a loss that did not happen.
   */
  private static final long REFRESH_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
  private volatile Map<TopicPartition, Long> known;
  private volatile long fetchedAt;
  private long lost;

  LostOffsets(String pipeline, Collection<String> topics, Earliest earliest, AutoCloseable resource) {
    this.pipeline = pipeline;
    this.topics = topics;
    this.earliest = earliest;
    this.resource = resource;
    this.known = fetch();
  }

  /** Reads the earliest offsets through a Kafka Admin client of its own. */
  static LostOffsets of(String pipeline, String bootstrapServers, Collection<String> topics) {
    return of(pipeline, bootstrapServers, Map.of(), topics);
  }

  /** As {@link #of(String, String, Collection)}, with the pipeline's Kafka TLS/SASL client settings. */
  static LostOffsets of(String pipeline, String bootstrapServers, Map<String, String> security,
      Collection<String> topics) {
    Properties props = new Properties();
    props.putAll(security);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    Admin admin = Admin.create(props);
    return new LostOffsets(pipeline, topics, t -> earliest(admin, t), admin);
  }

  private static Map<TopicPartition, Long> earliest(Admin admin, Collection<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
    admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS).forEach((name, d) ->
        d.partitions().forEach(p -> ask.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest())));
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(ask).all().get(15, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private Map<TopicPartition, Long> fetch() {
    fetchedAt = System.nanoTime();
    try {
      return earliest.of(topics);
    } catch (Exception e) {
      LOG.warn("cannot read the earliest offsets of {} ({}); lost offsets are not counted until it can", topics,
          e.toString());
      return Map.of();
    }
  }

  /** Offsets lost so far (tests). */
  synchronized long lost() {
    return lost;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    Map<TopicPartition, Long> before = known;
    for (SourceProgress source : p.sources()) {
      for (Map.Entry<TopicPartition, Long> start : startOffsets(source.startOffset()).entrySet()) {
        Long first = before.get(start.getKey());
        if (first != null && first > start.getValue()) {
          count(p.name(), p.batchId(), start.getKey(), start.getValue(), first);
        }
      }
    }
    if (System.nanoTime() - fetchedAt > REFRESH_NANOS) {
      known = fetch();
    }
  }

  private synchronized void count(String query, long batch, TopicPartition tp, long from, long to) {
    lost += to - from;
    LOG.warn("query {} batch {}: offsets {}..{} of {} were deleted (retention) before they were read: {} offset(s) "
        + "lost, read on from {}", query, batch, from, to - 1, tp, to - from, to);
    StreamMetrics.pipeline(pipeline).lostOffsets(tp.topic(), to - from);
  }

  /** A Kafka source's offsets as Spark reports them, {"topic":{"0":12,"1":7}}; anything else is no offsets. */
  static Map<TopicPartition, Long> startOffsets(String json) {
    Map<TopicPartition, Long> out = new HashMap<>();
    if (json == null || json.isBlank() || !json.strip().startsWith("{")) {
      return out;
    }
    try {
      JsonNode root = JSON.readTree(json);
      for (Iterator<Map.Entry<String, JsonNode>> t = root.fields(); t.hasNext(); ) {
        Map.Entry<String, JsonNode> topic = t.next();
        if (!topic.getValue().isObject()) {
          continue;
        }
        for (Iterator<Map.Entry<String, JsonNode>> pt = topic.getValue().fields(); pt.hasNext(); ) {
          Map.Entry<String, JsonNode> partition = pt.next();
          if (partition.getKey().matches("\\d+") && partition.getValue().canConvertToLong()) {
            out.put(new TopicPartition(topic.getKey(), Integer.parseInt(partition.getKey())),
                partition.getValue().asLong());
          }
        }
      }
    } catch (Exception notKafka) {
      return Map.of();
    }
    return out;
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}

  @Override
  public void close() throws Exception {
    resource.close();
  }
}
