package dev.pulse.llm.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A STAND-IN for vLLM's OpenAI-compatible server, for tests only: it is not vLLM and runs no model.
 * It speaks the same HTTP API ({@code POST /v1/chat/completions}, {@code GET /v1/models}) with bodies
 * shaped like vLLM's: the chat.completion object with vLLM's extra fields ({@code stop_reason},
 * {@code prompt_logprobs}, {@code kv_transfer_params}), and vLLM's error object
 * {@code {"error": {"message", "type", "param", "code"}}}.
 *
 * <p>What it answers is decided by a {@link Brain}, by default {@link StandInBrain}. A brain can also
 * ask for a fault: an error status, a body that is not JSON, or a delay.
 */
public final class VllmStandIn implements AutoCloseable {

  /** One request as the stand-in received it. */
  public record ChatCall(String model, String system, String user, JsonNode responseFormat, JsonNode body) {
    /** The json_schema name the gateway asked for, or "" when it asked for none. */
    public String schemaName() {
      return responseFormat == null ? "" : responseFormat.path("json_schema").path("name").asText("");
    }
  }

  /** What to send back. */
  public record Reply(int status, String content, String rawBody, Duration delay) {
    public static Reply content(String content) {
      return new Reply(200, content, null, Duration.ZERO);
    }

    public static Reply error(int status, String message) {
      return new Reply(status, message, null, Duration.ZERO);
    }

    /** HTTP 200 whose body is not a chat completion at all. */
    public static Reply raw(String body) {
      return new Reply(200, null, body, Duration.ZERO);
    }

    public Reply after(Duration delay) {
      return new Reply(status, content, rawBody, delay);
    }
  }

  @FunctionalInterface
  public interface Brain extends Function<ChatCall, Reply> {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Set<String> servedModels;
  private final List<ChatCall> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Brain brain = new StandInBrain();
  private volatile boolean rejectSystemRole;

  public VllmStandIn(Set<String> servedModels) throws IOException {
    this.servedModels = servedModels;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/chat/completions", this::chat);
    server.createContext("/v1/models", this::models);
    server.setExecutor(threads);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Answers a system message as vLLM does when the chat template has no system role (Gemma's). */
  public void rejectSystemRole(boolean reject) {
    this.rejectSystemRole = reject;
  }

  public void brain(Brain brain) {
    this.brain = brain;
  }

  public List<ChatCall> calls() {
    return List.copyOf(calls);
  }

  public void clear() {
    calls.clear();
    maxInFlight.set(0);
  }

  /** Waits until no request is being answered (a slow one from an earlier test may still be). */
  public void awaitIdle(Duration atMost) throws InterruptedException {
    long end = System.nanoTime() + atMost.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    maxInFlight.set(0);
  }

  /** The most chat requests that were being answered at the same moment since {@link #clear()}. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void chat(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        sendError(ex, 405, "Method Not Allowed", "MethodNotAllowed");
        return;
      }
      JsonNode body;
      try {
        body = JSON.readTree(ex.getRequestBody());
      } catch (IOException e) {
        sendError(ex, 400, "Expecting value: line 1 column 1 (char 0)", "BadRequestError");
        return;
      }
      String model = body.path("model").asText("");
      if (!servedModels.contains(model)) {
        sendError(ex, 404, "The model `" + model + "` does not exist.", "NotFoundError");
        return;
      }
      JsonNode format = body.get("response_format");
      if (format != null
          && "json_schema".equals(format.path("type").asText())
          && !format.path("json_schema").path("schema").isObject()) {
        sendError(ex, 400, "json_schema.schema is required", "BadRequestError");
        return;
      }
      String system = "";
      String user = "";
      for (JsonNode m : body.path("messages")) {
        String text = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
        switch (m.path("role").asText()) {
          case "system" -> {
            if (rejectSystemRole) {
              sendError(ex, 400, "System role not supported", "BadRequestError");
              return;
            }
            system += text;
          }
          case "user" -> user += text;
          default -> { }
        }
      }
      ChatCall call = new ChatCall(model, system, user, format, body);
      calls.add(call);
      Reply reply;
      // Counted from the request read to the answer ready, a span inside the client's own call.
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        reply = brain.apply(call);
        Thread.sleep(reply.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        inFlight.decrementAndGet();
      }
      if (reply.rawBody() != null) {
        send(ex, reply.status(), reply.rawBody());
      } else if (reply.status() != 200) {
        sendError(ex, reply.status(), reply.content(), reply.status() >= 500 ? "InternalServerError" : "BadRequestError");
      } else {
        send(ex, 200, completion(model, user, reply.content()).toString());
      }
    }
  }

  /** vLLM's ChatCompletionResponse, field for field. */
  static ObjectNode completion(String model, String prompt, String content) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""));
    root.put("object", "chat.completion");
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", model);
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.putNull("reasoning_content");
    message.put("content", content);
    message.putArray("tool_calls");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    choice.putNull("stop_reason");
    root.putNull("service_tier");
    root.putNull("system_fingerprint");
    ObjectNode usage = root.putObject("usage");
    int promptTokens = Math.max(1, prompt.length() / 4);
    int completionTokens = Math.max(1, content.length() / 4);
    usage.put("prompt_tokens", promptTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    usage.put("completion_tokens", completionTokens);
    usage.putNull("prompt_tokens_details");
    root.putNull("prompt_logprobs");
    root.putNull("kv_transfer_params");
    return root;
  }

  private void models(HttpExchange ex) throws IOException {
    try (ex) {
      ObjectNode root = JSON.createObjectNode();
      root.put("object", "list");
      ArrayNode data = root.putArray("data");
      for (String id : servedModels) {
        ObjectNode m = data.addObject();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", System.currentTimeMillis() / 1000);
        m.put("owned_by", "vllm");
        m.put("root", "/adapters/" + id);
        m.putNull("parent");
        m.put("max_model_len", 4096);
      }
      send(ex, 200, root.toString());
    }
  }

  private static void sendError(HttpExchange ex, int status, String message, String type) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    error.put("code", status);
    send(ex, status, root.toString());
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
