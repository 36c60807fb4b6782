package dev.pulse.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A STAND-IN for the LLM gateway, for tests only: a JDK HTTP server answering {@code POST /v1/classify} with bodies
 * shaped as llm-runtime/README.md documents them (one result per post, in order; {@code source} LLM with
 * {@code confidence}, or FALLBACK with {@code fallbackReason}). Its "LLM" is a transparent rule: a post containing
 * "outage" is negative, anything else positive, at confidence 0.9 and 0.8 (0.6, an unsure verdict, for a post
 * containing "[unsure]"); a post containing "[budget]" gets the gateway's BUDGET fallback.
 * {@link #mode} asks for faults: HTTP 500, or an answer slower than the client's timeout; {@link #hold} holds the
 * answers until the test releases them.
 */
public final class GatewayStandIn implements AutoCloseable {
  enum Mode { OK, ERROR_500, SLOW }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  volatile Mode mode = Mode.OK;
  volatile long slowMillis = 3_000;
  /** When set, every answer waits until it is counted down (the test decides when the "LLM" answers). */
  volatile java.util.concurrent.CountDownLatch hold;

  public GatewayStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/classify", this::classify);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void classify(HttpExchange ex) throws IOException {
    JsonNode request = JSON.readTree(ex.getRequestBody());
    requests.add(request);
    java.util.concurrent.CountDownLatch gate = hold;
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    switch (mode) {
      case ERROR_500 -> {
        send(ex, 500, "{\"error\":\"internal\",\"message\":\"stand-in failure\",\"details\":[]}");
        return;
      }
      case SLOW -> {
        try {
          Thread.sleep(slowMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      default -> { }
    }
    ObjectNode answer = JSON.createObjectNode().put("pipeline", request.path("pipeline").asText())
        .put("model", "acme-sentiment-lora");
    ArrayNode results = answer.putArray("results");
    for (JsonNode post : request.path("posts")) {
      String text = post.path("text").asText();
      ObjectNode r = results.addObject().put("id", post.path("id").asText());
      if (text.contains("[budget]")) {
        r.put("label", post.path("lightLabel").asText()).put("score", post.path("lightScore").asDouble())
            .put("rationale", "Light score kept: the pipeline's LLM budget for this minute is spent.")
            .put("crisis", false).put("source", "FALLBACK").put("fallbackReason", "BUDGET");
      } else {
        boolean negative = text.contains("outage");
        double confidence = text.contains("[unsure]") ? 0.6 : negative ? 0.9 : 0.8;
        r.put("label", negative ? "negative" : "positive").put("score", negative ? -0.9 : 0.8)
            .put("confidence", confidence).put("rationale", "stand-in rule")
            .put("crisis", false).put("source", "LLM");
      }
    }
    send(ex, 200, answer.toString());
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
