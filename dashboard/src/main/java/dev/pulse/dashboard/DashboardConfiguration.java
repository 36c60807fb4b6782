package dev.pulse.dashboard;

import dev.pulse.dashboard.config.DashboardProperties;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.dashboard.api.DashboardQueries;
import dev.pulse.dashboard.brand.BrandCatalog;
import dev.pulse.dashboard.history.BrandBuckets;
import dev.pulse.dashboard.history.RecentHistory;
import dev.pulse.dashboard.kafka.DashboardFeed;
import dev.pulse.dashboard.kafka.OutputTopicsConsumer;
import dev.pulse.dashboard.live.LiveUpdates;
import dev.pulse.dashboard.metrics.LatencyTracker;
import dev.pulse.dashboard.status.KubernetesPipelineStatus;
import dev.pulse.dashboard.status.LocalPipelineStatus;
import dev.pulse.dashboard.status.PipelineStatusSource;
import dev.pulse.dashboard.vector.InMemoryVectorStore;
import dev.pulse.dashboard.vector.PostIndexer;
import dev.pulse.dashboard.vector.QdrantVectorStore;
import dev.pulse.dashboard.vector.TextEmbedder;
import dev.pulse.dashboard.vector.VectorStore;
import dev.pulse.event.EventJson;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import dev.pulse.dashboard.status.FeedHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Wires the parts; the local run may supply its own Clock, VectorStore or PipelineStatusSource beans first. */
@Configuration
@EnableWebSocket
public class DashboardConfiguration implements WebSocketConfigurer {
  private final ObjectProvider<LiveUpdates> live;
  private final DashboardProperties props;

  public DashboardConfiguration(ObjectProvider<LiveUpdates> live, DashboardProperties props) {
    this.live = live;
    this.props = props;
  }

  @Bean
  RecentHistory recentHistory(DashboardProperties props, MeterRegistry registry) {
    var h = props.history();
    RecentHistory history = new RecentHistory(props.pipeline(), h.maxPosts(), h.maxAggregates(), h.maxAlerts());
    Gauge.builder("pulse.dashboard.history.posts", history, RecentHistory::postCount).register(registry);
    return history;
  }

  @Bean
  BrandCatalog brandCatalog(DashboardProperties props) {
    return BrandCatalog.parse(props.brands());
  }

  @Bean
  BrandBuckets brandBuckets(DashboardProperties props) {
    return new BrandBuckets(props.history().bucket(), props.history().lookback());
  }

  @Bean
  LiveUpdates liveUpdates(MeterRegistry registry) {
    // The event schema's mapper: ISO timestamps, absent fields left out, as in the topics.
    return new LiveUpdates(EventJson.mapper(), registry, props.live().queueLimit());
  }

  @Bean
  LatencyTracker latencyTracker(MeterRegistry registry) {
    return new LatencyTracker(registry);
  }

  @Bean
  Clock dashboardClock() {
    return Clock.systemUTC();
  }

  @Bean
  VectorStore vectorStore(DashboardProperties props) {
    var q = props.vectors().qdrant();
    return q.enabled()
        ? new QdrantVectorStore(q.host(), q.port(), q.tls(), q.apiKey(), q.collection(), q.timeout())
        : new InMemoryVectorStore(props.history().maxPosts());
  }

  @Bean(destroyMethod = "close")
  PostIndexer postIndexer(DashboardProperties props, VectorStore store, MeterRegistry registry) {
    boolean on = props.vectors().indexConsumed() && !props.vectors().qdrant().enabled()
        && !"none".equalsIgnoreCase(props.vectors().embedder());
    return on ? new PostIndexer(TextEmbedder.named(props.vectors().embedder()), store, registry) : null;
  }

  @Bean
  PipelineStatusSource pipelineStatus(DashboardProperties props, ObjectMapper json,
      @org.springframework.beans.factory.annotation.Value("${pulse.dashboard.local-description:embedded local run}")
      String localDescription) {
    return props.local()
        ? new LocalPipelineStatus(() -> localDescription)
        : new KubernetesPipelineStatus(props.namespace(), json);
  }

  @Bean
  DashboardQueries dashboardQueries(RecentHistory history, BrandBuckets buckets, BrandCatalog brands,
      VectorStore vectors, Clock clock) {
    return new DashboardQueries(history, buckets, brands, vectors, clock);
  }

  @Bean
  OutputTopicsConsumer outputTopicsConsumer(DashboardProperties props, RecentHistory history, BrandBuckets buckets,
      BrandCatalog brands, LiveUpdates live, LatencyTracker latency, ObjectProvider<PostIndexer> indexer,
      DashboardQueries queries, Clock clock, MeterRegistry registry) {
    DashboardFeed feed = new DashboardFeed(history, buckets, brands, live, latency, indexer.getIfAvailable(), queries,
        clock);
    var k = props.kafka();
    return new OutputTopicsConsumer(k.bootstrapServers(), props.scoredTopic(), props.aggregatesTopic(),
        props.alertsTopic(), k.fromBeginning(), props.history().lookback(), clock, feed, registry, k.staleAfter());
  }

  /** Kafka reachable and the consumer thread alive (the whole /actuator/health; 503 when not UP). */
  @Bean
  HealthIndicator kafkaFeedHealthIndicator(OutputTopicsConsumer consumer) {
    return () -> {
      FeedHealth h = consumer.feedHealth();
      Status status = switch (h.state()) {
        case UP -> Status.UP;
        case STARTING -> Status.UNKNOWN;
        case OUT_OF_SERVICE -> Status.OUT_OF_SERVICE;
        case DOWN -> Status.DOWN;
      };
      return Health.status(status).withDetail("message", h.message()).build();
    };
  }

  /**
   * Only a dead consumer thread (in the liveness group, so the kubelet restarts the pod: nothing else would bring it
   * back). An unreachable Kafka is not a liveness failure: a restart would not fix it, and the page says so.
   */
  @Bean
  HealthIndicator consumerThreadHealthIndicator(OutputTopicsConsumer consumer) {
    return () -> consumer.feedHealth().state() == FeedHealth.State.DOWN
        ? Health.down().withDetail("message", consumer.feedHealth().message()).build()
        : Health.up().build();
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    // Same origin only unless origins are configured: a page elsewhere must not open the live channel with the
    // browser's credentials (the ticket is the credential; the origin check is the second lock).
    registry.addHandler(live.getObject(), "/ws")
        .setAllowedOriginPatterns(props.live().allowedOrigins().toArray(String[]::new));
  }
}
