package dev.pulse.crd.v1alpha1.feed;

/**
 * The CEL rules and description of the free-form topic config ({@code spec.kafka.config}) that SourceFeeds and
 * SentimentPipelines share: which Kafka topic-level keys a user may set, and the values the API server can check
 * without parsing (enumerations, and min.insync.replicas against the replication factor). Numbers are checked by
 * Kafka itself (or Strimzi's topic operator); a value it refuses is reported in the Topic(s) condition.
 */
public final class KafkaTopicConfig {

  private KafkaTopicConfig() {}

  /** Topic-level configs a user may set: retention, compaction, segments, durability, size and timestamps. */
  public static final String ALLOWED_KEYS = "['retention.ms', 'retention.bytes', 'cleanup.policy', "
      + "'min.insync.replicas', 'max.message.bytes', 'segment.bytes', 'segment.ms', 'delete.retention.ms', "
      + "'min.compaction.lag.ms', 'max.compaction.lag.ms', 'min.cleanable.dirty.ratio', 'compression.type', "
      + "'message.timestamp.type', 'unclean.leader.election.enable']";

  public static final String KEYS_RULE = "self.all(k, k in " + ALLOWED_KEYS + ")";

  public static final String KEYS_MESSAGE = "kafka.config accepts only these topic configs: retention.ms, "
      + "retention.bytes, cleanup.policy, min.insync.replicas, max.message.bytes, segment.bytes, segment.ms, "
      + "delete.retention.ms, min.compaction.lag.ms, max.compaction.lag.ms, min.cleanable.dirty.ratio, "
      + "compression.type, message.timestamp.type, unclean.leader.election.enable";

  public static final String CLEANUP_RULE = "!('cleanup.policy' in self) || self['cleanup.policy'] in "
      + "['delete', 'compact', 'compact,delete', 'delete,compact']";

  public static final String CLEANUP_MESSAGE =
      "kafka.config cleanup.policy must be delete, compact or compact,delete";

  public static final String COMPRESSION_RULE = "!('compression.type' in self) || self['compression.type'] in "
      + "['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd']";

  public static final String COMPRESSION_MESSAGE =
      "kafka.config compression.type must be producer, uncompressed, gzip, snappy, lz4 or zstd";

  public static final String TIMESTAMP_RULE = "!('message.timestamp.type' in self) || "
      + "self['message.timestamp.type'] in ['CreateTime', 'LogAppendTime']";

  public static final String TIMESTAMP_MESSAGE =
      "kafka.config message.timestamp.type must be CreateTime or LogAppendTime";

  public static final String UNCLEAN_RULE = "!('unclean.leader.election.enable' in self) || "
      + "self['unclean.leader.election.enable'] in ['true', 'false']";

  public static final String UNCLEAN_MESSAGE = "kafka.config unclean.leader.election.enable must be true or false";

  /** On the kafka block: needs both the config and the replication factor. */
  public static final String MIN_ISR_RULE = "!has(self.config) || !('min.insync.replicas' in self.config) || "
      + "(self.config['min.insync.replicas'] in ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] && "
      + "(!has(self.replicas) || int(self.config['min.insync.replicas']) <= self.replicas))";

  public static final String MIN_ISR_MESSAGE = "kafka.config min.insync.replicas must be a whole number from 1 to "
      + "kafka.replicas: with more in-sync replicas required than exist, every write is refused";

  public static final String DESCRIPTION = "Topic configs set on the topic as they are, e.g. {\"cleanup.policy\": "
      + "\"delete\", \"min.insync.replicas\": \"2\", \"retention.bytes\": \"10737418240\"}. Values are strings. "
      + "Allowed keys: retention.ms, retention.bytes, cleanup.policy, min.insync.replicas, max.message.bytes, "
      + "segment.bytes, segment.ms, delete.retention.ms, min.compaction.lag.ms, max.compaction.lag.ms, "
      + "min.cleanable.dirty.ratio, compression.type, message.timestamp.type, unclean.leader.election.enable "
      + "(others are refused by the API server). retention.ms here wins over kafka.retention. Applied to the KafkaTopic's "
      + "spec.config (Strimzi) or through the Kafka Admin API (incrementalAlterConfigs: only these keys are set; a key "
      + "removed from here keeps its last value on the topic). Enumerations and min.insync.replicas (1 to "
      + "kafka.replicas) are checked at admission; a value Kafka refuses (e.g. a number out of range) is reported in "
      + "the topic condition with Kafka's message.";
}
