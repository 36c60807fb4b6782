package dev.pulse.operator.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SourceFeedSpec;
import dev.pulse.crd.v1alpha1.feed.FeedFilters;
import dev.pulse.operator.support.FeedTopics;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingester's config file ({@code ingest.yaml}), in exactly the format {@code pulse ingest --config} reads
 * (pipeline-runtime's {@code dev.pulse.ingest.IngestConfig}, documented in pipeline-runtime/README.md). It holds no
 * secret: credentials reach the ingester only as environment variables from secretKeyRefs.
 */
public final class IngesterConfig {

  public static final String FILE_NAME = "ingest.yaml";
  public static final String CONFIG_DIR = "/etc/pulse";
  public static final String REPLAY_DIR = "/data/replay"; // not under CONFIG_DIR: a ConfigMap volume cannot hold a mount point
  public static final String STATE_DIR = "/var/lib/pulse";
  public static final int METRICS_PORT = 9404;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // A string that looks like a number ("16", "0.05") stays a string when read back.
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

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

  public static Map<String, Object> asMap(SourceFeed feed) {
    SourceFeedSpec spec = feed.getSpec();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("feed", feed.getMetadata().getName());
    config.put("type", spec.getType().name());
    switch (spec.getType()) {
      case RSS -> config.put("rss", new LinkedHashMap<>(Map.of("feeds", spec.getRss().getUrls())));
      case REDDIT -> {
        Map<String, Object> reddit = new LinkedHashMap<>();
        reddit.put("subreddits", spec.getReddit().getSubreddits());
        if (spec.getReddit().getQuery() != null) {
          reddit.put("query", spec.getReddit().getQuery());
        }
        reddit.put("userAgent", spec.getReddit().getUserAgent());
        config.put("reddit", reddit);
      }
      case X -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("query", spec.getX().getQuery());
        if (spec.getX().getMaxResults() != null) {
          x.put("maxResults", spec.getX().getMaxResults());
        }
        config.put("x", x);
      }
      case REPLAY -> {
        Map<String, Object> replay = new LinkedHashMap<>();
        replay.put("file", replayFile(feed));
        replay.put("rate", spec.getReplay().getRatePerSecond() == null ? 50.0 : spec.getReplay().getRatePerSecond());
        config.put("replay", replay);
      }
    }
    // REPLAY streams at its own rate; the ingester ignores pollInterval for it.
    if (spec.getType() != SourceFeedSpec.FeedType.REPLAY) {
      config.put("pollInterval", spec.getPollInterval() == null ? "60s" : spec.getPollInterval());
    }
    FeedFilters filters = spec.getFilters();
    if (filters != null) {
      // Ordered maps only: the config's hash is in the pod template, so its text must not vary between runs.
      Map<String, Object> kept = new LinkedHashMap<>();
      kept.put("keywords", filters.getKeywords() == null ? List.of() : filters.getKeywords());
      kept.put("languages", filters.getLanguages() == null ? List.of() : filters.getLanguages());
      config.put("filters", kept);
    }
    Map<String, Object> kafka = new LinkedHashMap<>();
    kafka.put("bootstrapServers", bootstrapServers(feed));
    kafka.put("topic", FeedTopics.topicFor(feed));
    config.put("kafka", kafka);
    config.put("checkpointFile", STATE_DIR + "/" + feed.getMetadata().getName() + ".cursor.json");
    config.put("metricsPort", METRICS_PORT);
    return config;
  }

  public static String yaml(SourceFeed feed) {
    try {
      return YAML.writeValueAsString(asMap(feed));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A replay ConfigMap is mounted under {@link #REPLAY_DIR}; a path is read as it is. */
  static String replayFile(SourceFeed feed) {
    var replay = feed.getSpec().getReplay();
    return replay.getConfigMap() != null ? REPLAY_DIR + "/" + replay.getConfigMap().getKey() : replay.getPath();
  }
}
