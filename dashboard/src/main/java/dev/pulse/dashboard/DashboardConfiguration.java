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
import dev.pulse.dashboard.security.BearerTokenFilter;
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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
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

  public DashboardConfiguration(ObjectProvider<LiveUpdates> live) {
    this.live = live;
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
    return new LiveUpdates(EventJson.mapper(), registry);
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
        props.alertsTopic(), k.fromBeginning(), props.history().lookback(), clock, feed, registry);
  }

  @Bean
  FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(DashboardProperties props) {
    FilterRegistrationBean<BearerTokenFilter> bean =
        new FilterRegistrationBean<>(new BearerTokenFilter(props.auth().enabled() ? props.auth().token() : ""));
    bean.setEnabled(props.auth().enabled() && !props.local());
    bean.addUrlPatterns("/api/*", "/ws");
    return bean;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(live.getObject(), "/ws").setAllowedOriginPatterns("*");
  }
}
