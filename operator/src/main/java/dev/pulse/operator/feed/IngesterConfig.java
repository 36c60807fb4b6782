package dev.pulse.operator.feed;

import dev.pulse.operator.support.OwnedNames;
import dev.pulse.contract.IngestConfig;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SourceFeedSpec;
import dev.pulse.crd.v1alpha1.feed.FeedFilters;
import dev.pulse.operator.support.FeedTopics;
import java.util.List;
import java.util.Map;

/**
 * The ingester's config file ({@code ingest.yaml}): the ingester's own {@link IngestConfig} (contract module, read by
 * {@code pulse ingest --config}, documented in ingest/README.md), built from the SourceFeed. It holds no secret:
 * credentials reach the ingester only as environment variables from secretKeyRefs.
 */
public final class IngesterConfig {

  public static final String FILE_NAME = "ingest.yaml";
  public static final String CONFIG_DIR = "/etc/pulse";
  public static final String REPLAY_DIR = "/data/replay"; // not under CONFIG_DIR: a ConfigMap volume cannot hold a mount point
  public static final String STATE_DIR = "/var/lib/pulse";
  public static final int METRICS_PORT = 9404;
  /** Where the Kafka CA Secret's key is mounted (kafka.security.caSecret). */
  public static final String KAFKA_CA_DIR = "/etc/pulse-kafka-ca";
  public static final String KAFKA_CA_FILE = "ca.crt";

  private IngesterConfig() {}

  /**
   * Where the ingester writes: {@code spec.kafka.bootstrapServers}, or for a Strimzi cluster its bootstrap Service for
   * the plain listener, {@code <cluster>-kafka-bootstrap:9092}.
   */
  public static String bootstrapServers(SourceFeed feed) {
    var kafka = feed.getSpec().getKafka();
    return kafka.getBootstrapServers() != null ? kafka.getBootstrapServers()
        : kafka.getClusterName() + "-kafka-bootstrap:9092";
  }

  /**
   * The feed's ingester config as the ingester's own type ({@link IngestConfig}, in the shared contract module):
   * what it needs to know, with the operator's defaults for what the SourceFeed leaves out.
   */
  public static IngestConfig config(SourceFeed feed) {
    SourceFeedSpec spec = feed.getSpec();
    String name = feed.getMetadata().getName();
    IngestConfig.Rss rss = null;
    IngestConfig.Reddit reddit = null;
    IngestConfig.X x = null;
    IngestConfig.Replay replay = null;
    switch (spec.getType()) {
      case RSS -> rss = new IngestConfig.Rss(spec.getRss().getUrls(), null, spec.getRss().getAllowedNetworks(), null,
          null);
      case REDDIT -> reddit = new IngestConfig.Reddit(spec.getReddit().getSubreddits(), spec.getReddit().getQuery(),
          spec.getReddit().getUserAgent(), null, null, null, null);
      case X -> x = new IngestConfig.X(spec.getX().getQuery(), null, spec.getX().getMaxResults(), null);
      case REPLAY -> replay = new IngestConfig.Replay(replayFile(feed),
          spec.getReplay().getRatePerSecond() == null ? 50.0 : spec.getReplay().getRatePerSecond(), null,
          Boolean.TRUE.equals(spec.getReplay().getLoop()) ? Boolean.TRUE : null);
    }
    // REPLAY streams at its own rate; the ingester ignores pollInterval for it.
    String poll = spec.getType() == SourceFeedSpec.FeedType.REPLAY ? null
        : spec.getPollInterval() == null ? "60s" : spec.getPollInterval();
    FeedFilters f = spec.getFilters();
    IngestConfig.Filters filters = f == null ? null : new IngestConfig.Filters(
        f.getKeywords() == null ? List.of() : f.getKeywords(), f.getLanguages() == null ? List.of() : f.getLanguages());
    return new IngestConfig(name, IngestConfig.FeedType.valueOf(spec.getType().name()), rss, reddit, x, replay, poll,
        filters, new IngestConfig.Kafka(bootstrapServers(feed), FeedTopics.topicFor(feed), null,
            SourceFeedObjects.deadLetterTopic(feed), security(feed)),
        STATE_DIR + "/" + OwnedNames.fileName(name, ".cursor.json"), METRICS_PORT, null, spec.getStaleAfter());
  }

  /**
   * The connection's protocol, the mounted CA file and the SASL mechanism; the user name and password reach the
   * ingester as environment variables ({@link SourceFeedObjects#env}), never through this file.
   */
  static IngestConfig.Security security(SourceFeed feed) {
    var security = feed.getSpec().getKafka().getSecurity();
    if (security == null || feed.getSpec().getKafka().getBootstrapServers() == null) {
      return null;
    }
    return new IngestConfig.Security(security.protocolOrDefault().name(),
        security.getCaSecret() == null ? null : KAFKA_CA_DIR + "/" + KAFKA_CA_FILE,
        security.getSasl() == null ? null : security.getSasl().mechanismOrDefault().kafkaName());
  }

  /** The config as ordered maps (what the ConfigMap's YAML holds). */
  public static Map<String, Object> asMap(SourceFeed feed) {
    return config(feed).toMap();
  }

  /** The ConfigMap's {@link #FILE_NAME}; the same feed always gives the same text (its hash rolls the pod). */
  public static String yaml(SourceFeed feed) {
    return config(feed).toYaml();
  }

  /** A replay ConfigMap is mounted under {@link #REPLAY_DIR}; a path is read as it is. */
  static String replayFile(SourceFeed feed) {
    var replay = feed.getSpec().getReplay();
    return replay.getConfigMap() != null ? REPLAY_DIR + "/" + replay.getConfigMap().getKey() : replay.getPath();
  }
}
