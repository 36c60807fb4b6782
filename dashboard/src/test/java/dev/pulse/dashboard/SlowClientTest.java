package dev.pulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.dashboard.live.LiveUpdates;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One client that never reads must not hold up the thread that broadcasts (the Kafka consumer's) nor the client that
 * reads. Before the per-client queues, the broadcasting thread wrote to each socket itself: once the silent client's
 * socket buffers were full it blocked in that write (Tomcat's blocking-send timeout, 20 s) and every other client
 * waited with it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "pulse.dashboard.pipeline=slowclients",
    "pulse.dashboard.live.queue-limit=64",
    "pulse.dashboard.vectors.embedder=none"})
class SlowClientTest {
  @LocalServerPort
  int port;

  @Autowired
  LiveUpdates live;

  @Autowired
  MeterRegistry registry;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("pulse.dashboard.kafka.bootstrap-servers", () -> KafkaTestSupport.broker().bootstrapServers());
  }

  @Test
  void aClientThatNeverReadsIsDroppedWhileTheOtherReceivesOnTime() throws Exception {
    try (Socket silent = new Socket()) {
      silent.setReceiveBufferSize(4096);
      silent.connect(new InetSocketAddress("localhost", port));
      silent.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(readHeaders(silent.getInputStream())).startsWith("HTTP/1.1 101");
      // From here on the silent client reads nothing.

      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      WebSocket reader = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://localhost:" + port + "/ws"), new Collector(received)).get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).contains("hello");
      awaitSessions(2);

      String filler = "x".repeat(100_000);
      long slowest = 0;
      long slowestDelivery = 0;
      int messages = 300; // 30 MB: far more than the silent client's socket buffers hold
      for (int i = 0; i < messages; i++) {
        long t0 = System.nanoTime();
        live.broadcast("aggregate", "slowclients", Map.of("seq", i, "filler", filler));
        slowest = Math.max(slowest, System.nanoTime() - t0);
        // The reading client keeps pace with the pipeline: it has each message before the next one is written.
        String m = received.poll(30, TimeUnit.SECONDS);
        assertThat(m).as("message " + i).isNotNull().containsPattern("\"seq\":" + i + "[,}]");
        slowestDelivery = Math.max(slowestDelivery, System.nanoTime() - t0);
      }
      assertThat(Duration.ofNanos(slowest)).as("slowest broadcast call").isLessThan(Duration.ofSeconds(5));
      assertThat(Duration.ofNanos(slowestDelivery)).as("slowest delivery to the reading client")
          .isLessThan(Duration.ofSeconds(10));

      // The silent one was disconnected once its queue was full, and counted.
      awaitSessions(1);
      assertThat(registry.counter("pulse.dashboard.ws.slow.clients").count()).isGreaterThanOrEqualTo(1.0);
      reader.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }
  }

  private void awaitSessions(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (live.sessionCount() != n && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(live.sessionCount()).isEqualTo(n);
  }

  private static String readHeaders(InputStream in) throws Exception {
    StringBuilder b = new StringBuilder();
    while (b.indexOf("\r\n\r\n") < 0) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.append((char) c);
    }
    return b.toString();
  }

  private record Collector(BlockingQueue<String> messages) implements WebSocket.Listener {
    private static final StringBuilder PART = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      synchronized (PART) {
        PART.append(data);
        if (last) {
          messages.add(PART.toString());
          PART.setLength(0);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
