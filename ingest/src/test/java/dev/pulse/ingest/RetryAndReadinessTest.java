package dev.pulse.ingest;

import static dev.pulse.ingest.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.ingest.StandInServer.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing source is retried with a growing delay, never in a tight loop; readiness says whether a poll succeeded
 * lately, not merely that the process is up.
 */
class RetryAndReadinessTest {
  @TempDir Path dir;

  @Test
  void aMissingReplayFileIsRetriedWithBackoffNotInATightLoop() throws Exception {
    String topic = "feed-retry-" + UUID.randomUUID();
    TestSupport.kafka().createTopic(topic, 1);
    String yaml = """
        feed: replay
        type: REPLAY
        replay: {file: %s, rate: 0}
        kafka: {bootstrapServers: %s, topic: %s}
        checkpointFile: %s
        metricsPort: -1
        backoff: {initial: 100ms, max: 1s, maxAttempts: 3}
        """.formatted(dir.resolve("missing.jsonl"), TestSupport.kafka().bootstrapServers(), topic,
        dir.resolve("cursor.json"));
    try (Ingester ingester = TestSupport.ingester(yaml, Map.of())) {
      Thread running = new Thread(() -> {
        try {
          ingester.run(0);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      running.start();
      // The window opens at the first failed poll: reaching the broker first may take a while on a busy machine.
      Instant deadline = Instant.now().plusSeconds(120);
      while (ingester.metrics().count("pulse.ingest.failures", "reason", "fetch") < 1
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(5);
      }
      double first = ingester.metrics().count("pulse.ingest.failures", "reason", "fetch");
      Thread.sleep(4000);
      double attempts = ingester.metrics().count("pulse.ingest.failures", "reason", "fetch") - first;
      ingester.stop();
      running.join(Duration.ofMinutes(1).toMillis());
      assertThat(first).as("the first poll failed").isEqualTo(1.0);
      // Delays of at least 50, 100, 200, 400, 500, 500 ... ms: at most ~11 more attempts in 4 s (before the fix,
      // with a replay's poll interval of 0, this was tens of thousands).
      assertThat(attempts).isBetween(2.0, 12.0);
      assertThat(ingester.health().ready()).isFalse();
    }
  }

  @Test
  void anUnexpectedErrorOfTheSourceFailsThePollNotTheProcess() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    FeedSource flaky = cursor -> {
      if (polls.incrementAndGet() < 3) {
        throw new IllegalStateException("a defect in the parser");
      }
      return new Batch(List.of(), cursor.deepCopy().put("n", polls.get()), false);
    };
    IngestMetrics metrics = new IngestMetrics("f", "RSS");
    PollHealth health = new PollHealth(Clock.systemUTC(), Duration.ofMinutes(1));
    PostSink none = new PostSink() {
      @Override
      public Delivery send(List<dev.pulse.event.Post> posts, List<Rejected> rejected, ObjectNode cursorAfter) {
        return new Delivery(posts.size(), rejected, false);
      }

      @Override
      public void close() {}
    };
    IngestLoop loop = new IngestLoop("f", flaky, new PostFilter(List.of(), List.of()), none,
        new CheckpointStore(dir.resolve("c.json")), metrics, Duration.ZERO, Sleeper.REAL, Clock.systemUTC(),
        new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 1, Duration.ofSeconds(1)), health);
    loop.run(3);
    assertThat(metrics.count("pulse.ingest.failures", "reason", "source_error")).isEqualTo(2);
    assertThat(health.ready()).isTrue();
    assertThat(new CheckpointStore(dir.resolve("c.json")).load().path("n").asInt()).isEqualTo(3);
  }

  @Test
  void retryDelaysGrowFromTheInitialDelayAndNeverUndercutThePollInterval() {
    IngestLoop loop = new IngestLoop("f", c -> null, new PostFilter(List.of(), List.of()), null, null,
        new IngestMetrics("f", "X"), Duration.ofMillis(300), Sleeper.REAL, Clock.systemUTC(),
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 1, Duration.ofMinutes(1)), null);
    assertThat(loop.retryDelay(1)).isEqualTo(Duration.ofMillis(300));
    assertThat(loop.retryDelay(6).toMillis()).isBetween(1600L, 3200L);
    assertThat(loop.retryDelay(30)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  /** A clock the test moves. */
  private static final class Manual extends Clock {
    Instant now = Instant.parse("2026-12-06T08:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void readyOnlyWhileAPollSucceededWithinTheBound() {
    Manual clock = new Manual();
    PollHealth health = new PollHealth(clock, Duration.ofMinutes(3));
    assertThat(health.ready()).as("not before a first successful poll").isFalse();
    health.succeeded();
    clock.now = clock.now.plus(Duration.ofMinutes(3));
    assertThat(health.ready()).isTrue();
    health.failed("HTTP 401");
    clock.now = clock.now.plusSeconds(1);
    assertThat(health.ready()).isFalse();
    assertThat(health.describe()).contains("not ready: last successful poll 181s ago").contains("HTTP 401");
    health.succeeded();
    assertThat(health.ready()).isTrue();
    clock.now = clock.now.plus(Duration.ofDays(1));
    health.finished();
    assertThat(health.ready()).as("a replay that sent its whole file stays ready").isTrue();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> await(int port, String path, int status) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    HttpResponse<String> last = get(port, path);
    while (last.statusCode() != status && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
      last = get(port, path);
    }
    return last;
  }

  @Test
  void theReadinessEndpointTurnsNotReadyWhenPollsStopSucceeding() throws Exception {
    String topic = "feed-ready-" + UUID.randomUUID();
    TestSupport.kafka().createTopic(topic, 1);
    try (StandInServer x = new StandInServer()) {
      // One good answer, then 401s for ever (a revoked token): the process runs on, but delivers nothing.
      x.on("/2/tweets/search/recent", Response.json(200, fixture("x/search-since.json")),
          Response.json(401, fixture("x/error-401.json")));
      String yaml = """
          feed: acme-x
          type: X
          x: {query: acme, apiUrl: %s}
          pollInterval: 100ms
          staleAfter: 5s
          kafka: {bootstrapServers: %s, topic: %s}
          checkpointFile: %s
          metricsPort: 0
          backoff: {initial: 100ms, max: 200ms, maxAttempts: 2}
          """.formatted(x.baseUrl(), TestSupport.kafka().bootstrapServers(), topic, dir.resolve("cursor.json"));
      try (Ingester ingester = TestSupport.ingester(yaml, Map.of(Ingester.X_BEARER_TOKEN, "revoked-t0ken"))) {
        int port = ingester.metricsPort();
        Thread running = new Thread(() -> {
          try {
            ingester.run(0);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        running.start();
        HttpResponse<String> ready = await(port, "/readyz", 200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).startsWith("ready: last successful poll");
        HttpResponse<String> stale = await(port, "/readyz", 503);
        assertThat(stale.statusCode()).isEqualTo(503);
        assertThat(stale.body()).startsWith("not ready: last successful poll").contains("staleAfter 5s")
            .contains("HTTP 401").doesNotContain("revoked-t0ken");
        assertThat(get(port, "/healthz").statusCode()).as("alive all the same: a restart would not help")
            .isEqualTo(200);
        ingester.stop();
        running.join(Duration.ofMinutes(1).toMillis());
      }
    }
  }

}
