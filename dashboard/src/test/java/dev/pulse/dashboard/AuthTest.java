package dev.pulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * In cluster mode with a token (from the Secret), /api and /ws need it; health and metrics stay open for probes.
 * Against the real embedded Tomcat on a random port, because the bypasses live in how the server and Spring read a
 * path (";" parameters, percent-encoding, dot segments), which MockMvc does not reproduce. Requests go out on a raw
 * socket so that no client normalises the path first.
 */
@AutoConfigureObservability // the Prometheus scrape is served, as in the image
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "pulse.dashboard.mode=cluster",
    "pulse.dashboard.pipeline=secure",
    "pulse.dashboard.auth.token=s3cret-token",
    "pulse.dashboard.live.allowed-origins=https://dash.example.com",
    "pulse.dashboard.vectors.embedder=none"})
class AuthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("pulse.dashboard.kafka.bootstrap-servers", () -> KafkaTestSupport.broker().bootstrapServers());
  }

  @Test
  void apiNeedsTheBearerToken() throws Exception {
    assertThat(get("/api/pipelines", null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = get("/api/pipelines", "Bearer nope");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("not valid").doesNotContain("s3cret");
    assertThat(get("/api/pipelines", "Bearer s3cret-token").statusCode()).isEqualTo(200);
    assertThat(get("/ws", null).statusCode()).isEqualTo(401);
    assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/metrics", null).statusCode()).isEqualTo(401);
  }

  /** Spellings Tomcat and Spring MVC route to a protected handler; none may answer without the token. */
  @ParameterizedTest
  @ValueSource(strings = {
      "/api/pipelines;jsessionid=x",
      "/api;x/pipelines",
      "/api;jsessionid=x/pipelines/secure/status",
      "/%61pi/pipelines",
      "/api%2Fpipelines",
      "/api/%2e%2e/api/pipelines",
      "/api/../api/pipelines",
      "/x/../api/pipelines",
      "//api/pipelines",
      "/api//pipelines",
      "/api/./pipelines",
      "/API/pipelines",
      "/api/pipelines/",
      "/api/pipelines%3Bx",
      "/ws;x",
      "/ws/",
      "/%77s",
      "/ws;jsessionid=x",
      "/actuator;x/metrics"})
  void noSpellingOfAProtectedPathGetsInWithoutTheToken(String path) throws Exception {
    String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    int status = Integer.parseInt(response.substring(9, 12));
    assertThat(status).as(path + " answered:\n" + response).isIn(400, 401, 403, 404);
    assertThat(response).as(path).doesNotContain("\"pipelines\"").doesNotContain("\"secure\"")
        .doesNotContain("\"names\"");
  }

  @Test
  void theWebSocketTakesASingleUseTicketNotTheToken() throws Exception {
    // The old way, the token in the URL, is refused.
    assertThat(handshake("/ws?access_token=s3cret-token", null)).startsWith("HTTP/1.1 401");
    // A ";" parameter once skipped the check while Spring still routed the handshake to /ws.
    assertThat(handshake("/ws;x", null)).doesNotStartWith("HTTP/1.1 101");
    assertThat(handshake("/ws;jsessionid=x", null)).doesNotStartWith("HTTP/1.1 101");
    assertThat(post("/api/live-ticket", null).statusCode()).isEqualTo(401);

    String ticket = ticket();
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws = http.newWebSocketBuilder()
        .buildAsync(URI.create("ws://localhost:" + port + "/ws?ticket=" + ticket), new Collector(messages))
        .get(10, TimeUnit.SECONDS);
    assertThat(messages.poll(10, TimeUnit.SECONDS)).contains("hello");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

    // Single use: the same ticket a second time, and a made-up one, are refused.
    assertThat(handshake("/ws?ticket=" + ticket, null)).startsWith("HTTP/1.1 401");
    assertThat(handshake("/ws?ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null)).startsWith("HTTP/1.1 401");
    try {
      http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/ws?ticket=" + ticket),
          new Collector(messages)).join();
      throw new AssertionError("a redeemed ticket opened the WebSocket");
    } catch (CompletionException expected) {
      assertThat(expected.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      assertThat(((WebSocketHandshakeException) expected.getCause()).getResponse().statusCode()).isEqualTo(401);
    }
  }

  @Test
  void theWebSocketAcceptsOnlyItsOwnOriginAndConfiguredOnes() throws Exception {
    assertThat(handshake("/ws?ticket=" + ticket(), "https://evil.example.net")).startsWith("HTTP/1.1 403");
    assertThat(handshake("/ws?ticket=" + ticket(), "http://localhost:" + port)).startsWith("HTTP/1.1 101");
    assertThat(handshake("/ws?ticket=" + ticket(), "https://dash.example.com")).startsWith("HTTP/1.1 101");
  }

  @Test
  void clusterStatusSaysWhenTheResourceCannotBeRead() throws Exception {
    HttpResponse<String> r = get("/api/pipelines/secure/status", "Bearer s3cret-token");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"mode\":\"cluster\"").contains("not running in a cluster");
  }

  private String ticket() throws Exception {
    HttpResponse<String> r = post("/api/live-ticket", "Bearer s3cret-token");
    assertThat(r.statusCode()).isEqualTo(200);
    var body = JSON.readTree(r.body());
    assertThat(body.get("expiresInSeconds").asLong()).isBetween(1L, 60L);
    return body.get("ticket").asText();
  }

  /** A WebSocket upgrade request on a raw socket (the JDK client cannot send an arbitrary Origin); the status line. */
  private String handshake(String path, String origin) throws Exception {
    String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n", true);
    return response.lines().findFirst().orElse("");
  }

  /** Sends the request bytes as they are and reads the answer (headers and what body arrives). */
  private String raw(String request) throws Exception {
    return raw(request, false);
  }

  private String raw(String request, boolean statusLineOnly) throws Exception {
    try (Socket s = new Socket("localhost", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder b = new StringBuilder();
      byte[] buf = new byte[8192];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
          if (statusLineOnly && b.indexOf("\r\n") > 0) {
            break; // a handshake's answer: the socket may stay open
          }
        }
      } catch (java.net.SocketTimeoutException e) {
        // keep what arrived
      }
      return b.toString();
    }
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private record Collector(BlockingQueue<String> messages) implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      messages.add(data.toString());
      ws.request(1);
      return null;
    }
  }
}
