package dev.pulse.ingest;

import static dev.pulse.ingest.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Post;
import dev.pulse.event.Source;
import dev.pulse.ingest.StandInServer.Response;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RSS/Atom ingester against stand-in news sites (RSS 2.0 and Atom 1.0) and a real Kafka broker. */
class RssIngesterTest {
  private static final String LAST_MODIFIED = "Tue, 24 Nov 2026 22:00:00 GMT";

  @TempDir Path dir;
  private StandInServer site;
  private String topic;

  @BeforeEach
  void setUp() {
    site = new StandInServer();
    topic = "feed-rss-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() {
    site.close();
  }

  private String config() {
    return """
        feed: acme-news
        type: RSS
        rss:
          allowedNetworks: [127.0.0.1/32]   # the stand-in runs on loopback
          feeds:
            - %1$s/business/rss.xml
            - %1$s/feed.atom
            - %1$s/broken.xml
        pollInterval: 10ms
        filters:
          keywords: [acme]
        kafka:
          bootstrapServers: %2$s
          topic: %3$s
        checkpointFile: %4$s
        metricsPort: -1
        backoff: {initial: 20ms, max: 200ms, maxAttempts: 3}
        """.formatted(site.baseUrl(), TestSupport.kafka().bootstrapServers(), topic, dir.resolve("cursor.json"));
  }

  @Test
  void conditionalGetDedupAndNoResendAfterRestart() throws Exception {
    site.on("/business/rss.xml",
        Response.xml(fixture("rss/news-rss2.xml"), Map.of("ETag", "\"v1\"", "Last-Modified", LAST_MODIFIED)),
        new Response(304, Map.of("ETag", "\"v1\""), new byte[0]));
    // The Atom site ignores validators and always sends the whole feed: dedup by entry id keeps it from repeating.
    site.on("/feed.atom", Response.xml(fixture("rss/news-atom.xml"), Map.of()));
    site.on("/broken.xml", Response.xml("<rss version=\"2.0\"><channel><item><title>cut off", Map.of()));

    try (Ingester ingester = TestSupport.ingester(config(), Map.of())) {
      ingester.run(2);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(2);
      assertThat(ingester.metrics().count("pulse.ingest.posts.filtered", "reason", "keyword")).isEqualTo(1);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "malformed")).isEqualTo(2);
      assertThat(ingester.metrics().count("pulse.ingest.http.responses", "status", "304")).isEqualTo(1);
    }
    try (Ingester restarted = TestSupport.ingester(config(), Map.of())) {
      restarted.run(1);
      assertThat(restarted.metrics().count("pulse.ingest.posts.produced")).isZero();
    }

    List<StandInServer.Request> rss = site.requests("/business/rss.xml");
    assertThat(rss.get(0).headers().getFirst("If-None-Match")).isNull();
    assertThat(rss.get(1).headers().getFirst("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(rss.get(1).headers().getFirst("If-Modified-Since")).isEqualTo(LAST_MODIFIED);
    assertThat(rss.get(2).headers().getFirst("If-None-Match")).as("validators survive a restart").isEqualTo("\"v1\"");

    List<Post> posts = TestSupport.kafka().readPosts(topic, 2);
    assertThat(posts).hasSize(2);
    assertThat(posts).allSatisfy(p -> {
      assertThat(p.source()).isEqualTo(Source.RSS);
      assertThat(p.id()).startsWith("rss:");
      assertThat(p.feed()).isEqualTo("acme-news");
    });
    Post recall = posts.stream().filter(p -> p.text().startsWith("Acme shares fall")).findFirst().orElseThrow();
    assertThat(recall.url()).isEqualTo("https://news.example.com/business/acme-recall");
    assertThat(recall.lang()).isEqualTo("en");
    assertThat(recall.createdAt()).isEqualTo(Instant.parse("2026-11-24T21:40:00Z"));
    assertThat(recall.text()).contains("overheating reports");
    Post atom = posts.stream().filter(p -> p.text().startsWith("Hands-on")).findFirst().orElseThrow();
    assertThat(atom.url()).isEqualTo("https://blog.example.org/2026/11/acme-x2");
    assertThat(atom.createdAt()).isEqualTo(Instant.parse("2026-11-24T21:00:00Z"));
    assertThat(atom.authorHash()).isNotBlank().doesNotContain("Sam");
  }
}
