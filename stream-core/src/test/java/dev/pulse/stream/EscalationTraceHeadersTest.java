package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway call carries the headers the process' tracing gives for its batch's posts (traceparent, links), and
 * how long it waits for the answer (the gateway's batch deadline).
 */
class EscalationTraceHeadersTest {
  private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
  private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @AfterEach
  void none() {
    LlmEscalator.callHeaders(null);
  }

  @Test
  void theBatchCallCarriesItsPostsTraceHeaders() throws Exception {
    List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
    HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/v1/classify", ex -> {
      ex.getRequestBody().readAllBytes();
      seen.add(Map.of("traceparent", String.valueOf(ex.getRequestHeaders().getFirst("traceparent")),
          "links", String.valueOf(ex.getRequestHeaders().getFirst("pulse-trace-links")),
          "deadline", String.valueOf(ex.getRequestHeaders().getFirst("Pulse-Deadline-Ms"))));
      byte[] body = "{\"pipeline\":\"acme\",\"model\":\"m\",\"results\":[]}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    gateway.start();
    try {
      LlmEscalator escalator = new LlmEscalator("http://127.0.0.1:" + gateway.getAddress().getPort(), "acme", 0.6,
          Duration.ofSeconds(30), 64);
      List<String>[] asked = new List[1];
      LlmEscalator.callHeaders(ids -> {
        asked[0] = ids;
        return Map.of("traceparent", TRACEPARENT, "pulse-trace-links", "00-1-2-01");
      });
      escalator.escalate(List.of(unsure("a"), unsure("b")), T0);
      assertThat(asked[0]).containsExactly("a", "b");
      assertThat(seen).singleElement().isEqualTo(Map.of("traceparent", TRACEPARENT, "links", "00-1-2-01",
          "deadline", "30000")); // the gateway's batch deadline follows this client's timeout

      LlmEscalator.callHeaders(null);
      escalator.escalate(List.of(unsure("c")), T0);
      assertThat(seen.get(1)).as("no tracing: no header").containsEntry("traceparent", "null");
    } finally {
      gateway.stop(0);
    }
  }

  private static ScoredPost unsure(String id) {
    Post p = Post.of(id, Source.X, "acme-x", "h", "unsure " + id, "en", T0, T0, null, null, null);
    return ScoredPost.of(p, Label.NEUTRAL, 0.0, 0.3, ScoredBy.LIGHT, false, null, T0);
  }
}
