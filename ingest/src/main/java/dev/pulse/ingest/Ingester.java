package dev.pulse.ingest;

import dev.pulse.contract.IngestConfig;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingester process, wired from its config and the environment: the source for the feed's type, the filters,
 * the Kafka sink, the checkpoint and the metrics endpoint.
 */
public final class Ingester implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ingester.class);
  public static final String REDDIT_CLIENT_ID = "REDDIT_CLIENT_ID";
  public static final String REDDIT_CLIENT_SECRET = "REDDIT_CLIENT_SECRET";
  public static final String X_BEARER_TOKEN = "X_BEARER_TOKEN";

  private final IngestConfig config;
  private final IngestMetrics metrics;
  private final StopSignal stop = new StopSignal();
  private final PostSink sink;
  private final IngestLoop loop;
  private final MetricsServer metricsServer;
  private final PollHealth health;

  public Ingester(IngestConfig config, Map<String, String> env, HttpClient client, Clock clock,
      Function<IngestConfig, PostSink> sinks) throws IOException {
    this.config = config;
    this.metrics = new IngestMetrics(config.feed(), config.type().name());
    Backoff backoff = Backoff.from(config.backoffOrDefault());
    Http http = new Http(client, backoff, metrics, stop, clock, new Random());
    this.health = new PollHealth(clock, config.staleAfterOrDefault());
    AuthorHash authors = new AuthorHash(env.get("PULSE_AUTHOR_SALT"));
    FeedSource source = switch (config.type()) {
      case RSS -> new RssSource(config.feed(), config.rss(), http, authors);
      case REDDIT -> new RedditSource(config.feed(), config.reddit(), Secret.require(env, REDDIT_CLIENT_ID),
          Secret.require(env, REDDIT_CLIENT_SECRET), http, authors);
      case X -> new XSource(config.feed(), config.x(), Secret.require(env, X_BEARER_TOKEN), http, authors);
      case REPLAY -> new ReplaySource(config.feed(), config.replay(), http);
    };
    IngestConfig.Filters f = config.filtersOrEmpty();
    this.metricsServer = config.metricsPortOrDefault() < 0 ? null
        : new MetricsServer(config.metricsPortOrDefault(), metrics.registry(), health);
    this.sink = sinks.apply(config);
    this.loop = new IngestLoop(config.feed(), source, new PostFilter(f.keywords(), f.languages()), sink,
        new CheckpointStore(Path.of(config.checkpointFile())), metrics, config.poll(), stop, clock, backoff, health);
  }

  /** The Kafka sink, with the connection's security settings and credentials from the process environment. */
  public static PostSink kafkaSink(IngestConfig config) {
    return kafkaSink(config, System.getenv());
  }

  public static PostSink kafkaSink(IngestConfig config, Map<String, String> env) {
    Map<String, String> extra = new java.util.LinkedHashMap<>();
    if (config.kafka().producer() != null) {
      extra.putAll(config.kafka().producer());
    }
    extra.putAll(KafkaSecurity.clientProperties(config.kafka().security(), env));
    return new KafkaPostSink(config.kafka().bootstrapServers(), config.kafka().topic(),
        config.kafka().deadLetterTopic(), "pulse-ingest-" + config.feed(), config.feed(), extra);
  }

  /** Runs until stopped or, for a replay, until the file ends; maxPolls 0 = no limit. */
  public void run(int maxPolls) throws IOException {
    LOG.info("ingester for feed {} ({}) → topic {} on {}; metrics on :{}", config.feed(), config.type(),
        config.kafka().topic(), config.kafka().bootstrapServers(),
        metricsServer == null ? "off" : metricsServer.port());
    try {
      loop.run(maxPolls);
    } catch (InterruptedException e) {
      if (!stop.isStopped()) {
        Thread.currentThread().interrupt();
      }
      LOG.info("feed {}: stopping", config.feed());
    }
  }

  /**
   * Holds a finished ingester (a replay at its end) until it is stopped. In a Deployment an exiting container is
   * restarted at once, finds its cursor at the end and exits again: a crash loop that sends nothing new.
   */
  public void idleUntilStopped() {
    if (stop.isStopped()) {
      return;
    }
    LOG.info("feed {}: nothing more to send; idle until stopped (metrics stay up)", config.feed());
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void stop() {
    loop.stop();
    stop.stop();
  }

  public IngestMetrics metrics() {
    return metrics;
  }

  public PollHealth health() {
    return health;
  }

  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  @Override
  public void close() {
    sink.close();
    if (metricsServer != null) {
      metricsServer.close();
    }
  }
}
