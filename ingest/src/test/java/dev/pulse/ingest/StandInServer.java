package dev.pulse.ingest;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for a remote API (Reddit, X, a news site), speaking plain HTTP on loopback. Each path has a queue
 * of scripted responses (the last one repeats); every request is recorded with its query and headers.
 */
public final class StandInServer implements AutoCloseable {
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public static Response json(int status, String body) {
      return new Response(status, Map.of("Content-Type", "application/json; charset=UTF-8"),
          body.getBytes(StandardCharsets.UTF_8));
    }

    public static Response xml(String body, Map<String, String> headers) {
      Map<String, String> h = new java.util.HashMap<>(headers);
      h.put("Content-Type", "application/xml; charset=UTF-8");
      return new Response(200, h, body.getBytes(StandardCharsets.UTF_8));
    }

    public Response withHeader(String name, String value) {
      Map<String, String> h = new java.util.HashMap<>(headers);
      h.put(name, value);
      return new Response(status, h, body);
    }
  }

  public record Request(String method, String path, String query, Headers headers, String body, Instant at) {
    public String param(String name) {
      if (query == null) {
        return null;
      }
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        if (key.equals(name)) {
          return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final Map<String, Deque<Response>> scripts = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public StandInServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues responses for a path; once only one is left it is served for every further request. */
  public StandInServer on(String path, Response... responses) {
    scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(responses));
    return this;
  }

  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String path = exchange.getRequestURI().getPath();
    requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders(), body, Instant.now()));
    Deque<Response> script = scripts.get(path);
    Response response;
    synchronized (this) {
      response = script == null || script.isEmpty() ? Response.json(404, "{\"error\":404}")
          : script.size() > 1 ? script.poll() : script.peek();
    }
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    boolean empty = response.body().length == 0 || response.status() == 304;
    exchange.sendResponseHeaders(response.status(), empty ? -1 : response.body().length);
    if (!empty) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
