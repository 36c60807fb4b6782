package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.stream.LlmEscalator;
import dev.pulse.tracing.PulseTracing;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * ./pulse local's stream loop, traced: the gateway call that escalates a post carries that post's score span as
 * traceparent (the score span is a child of the ingester's traceparent in the feed record), so the gateway's span
 * joins the post's trace.
 */
class ScoreSpansGatewayTest {
  private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void theEscalationCallCarriesTheScoredPostsTrace() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/v1/classify", ex -> {
      ex.getRequestBody().readAllBytes();
      seen.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
      byte[] body = "{\"pipeline\":\"demo\",\"model\":\"m\",\"results\":[]}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    gateway.start();
    // Tracing on, every post sampled; nothing listens there (the export fails quietly in the background).
    System.setProperty(PulseTracing.ENDPOINT_PROPERTY, "http://127.0.0.1:9");
    System.setProperty(PulseTracing.RATIO_PROPERTY, "1.0");
    try (ScoreSpans spans = new ScoreSpans("demo")) {
      ConsumerRecord<String, byte[]> feedRecord = new ConsumerRecord<>("feed", 0, 0, "rss:1", new byte[0]);
      feedRecord.headers().add("traceparent", ("00-" + TRACE + "-b7ad6b7169203331-01").getBytes(StandardCharsets.UTF_8));
      spans.read(feedRecord);
      LlmEscalator escalator = new LlmEscalator("http://127.0.0.1:" + gateway.getAddress().getPort(), "demo", 0.6,
          Duration.ofSeconds(30), 64);
      Post post = Post.of("rss:1", Source.RSS, "news", "h", "unsure", "en", T0, T0, null, null, null);
      escalator.escalate(List.of(ScoredPost.of(post, Label.NEUTRAL, 0.0, 0.3, ScoredBy.LIGHT, false, null, T0)), T0);
      assertThat(seen).singleElement().satisfies(tp -> assertThat(tp).startsWith("00-" + TRACE + "-")
          .doesNotContain("b7ad6b7169203331")); // the score span's id, not the ingester's
    } finally {
      System.clearProperty(PulseTracing.ENDPOINT_PROPERTY);
      System.clearProperty(PulseTracing.RATIO_PROPERTY);
      gateway.stop(0);
    }
  }
}
