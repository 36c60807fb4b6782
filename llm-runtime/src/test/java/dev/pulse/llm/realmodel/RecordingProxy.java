package dev.pulse.llm.realmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Passes every request through to the real llama.cpp server unchanged and keeps each chat exchange, so a test can
 * check what the gateway sent (system and user messages, response_format, model) and what the model answered. It
 * decides nothing: answers, errors and delays are the server's.
 */
final class RecordingProxy implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One chat completion: the request as sent, and the HTTP status and body the server answered. */
  record Exchange(JsonNode request, int status, String response) {
    String model() {
      return request.path("model").asText();
    }

    String message(String role) {
      for (JsonNode m : request.path("messages")) {
        if (role.equals(m.path("role").asText())) {
          return m.path("content").asText();
        }
      }
      return null;
    }

    /** The assistant's text, or null when the answer was not a chat completion. */
    String content() {
      try {
        JsonNode c = JSON.readTree(response).path("choices").path(0).path("message").path("content");
        return c.isTextual() ? c.asText() : null;
      } catch (IOException e) {
        return null;
      }
    }
  }

  private final HttpServer server;
  // HTTP/1.1: the JDK client would otherwise ask uvicorn for an h2c upgrade on every request (logged as unsupported).
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String target;
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  RecordingProxy(String targetBaseUrl) throws IOException {
    this.target = targetBaseUrl.substring(0, targetBaseUrl.length() - "/v1".length());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::forward);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  void clear() {
    exchanges.clear();
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()));
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      if (type != null) {
        b.header("Content-Type", type);
      }
      b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.sendResponseHeaders(502, -1);
        return;
      } catch (IOException e) {
        // The caller gave up (its timeout) or the server went away: nothing to record, nothing to answer.
        ex.sendResponseHeaders(502, -1);
        return;
      }
      if (ex.getRequestURI().getPath().endsWith("/chat/completions")) {
        exchanges.add(new Exchange(JSON.readTree(body), r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)));
      }
      r.headers().firstValue("Content-Type").ifPresent(t -> ex.getResponseHeaders().add("Content-Type", t));
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(r.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
