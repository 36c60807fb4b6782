package dev.pulse.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Label;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.ScoredBy;
import dev.pulse.stream.metrics.FallbackReason;
import dev.pulse.stream.metrics.StreamMetrics;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the posts whose calibrated confidence is under the pipeline's threshold to the LLM gateway's
 * {@code POST /v1/classify}, in requests of at most {@code maxBatch} posts, each bounded by {@code timeout}. What
 * the gateway answers replaces the light score (tier LLM, or FALLBACK when the gateway itself fell back); when a
 * request fails (connection refused, HTTP error, timeout, an answer that does not match the request) the light
 * score of its posts stands, marked FALLBACK. A post is never lost here: the output has the input's posts, in order.
 *
 * <p>The gateway call goes through a circuit breaker, one per gateway and JVM ({@link GatewayBreakers}): after
 * repeated failures the posts keep their light score at once (reason {@code circuit_open}) instead of each batch
 * waiting for its timeout, and a trial call after a pause closes it again.
 */
public final class LlmEscalator implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(LlmEscalator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The gateway takes at most 256 posts per request. */
  public static final int GATEWAY_MAX_BATCH = 256;

  private final URI classifyUri;
  private final String pipeline;
  private final double threshold;
  private final Duration timeout;
  private final int maxBatch;

  /** @param gatewayUrl the gateway's root, e.g. {@code http://acme-llm-gateway:8090} */
  public LlmEscalator(String gatewayUrl, String pipeline, double threshold, Duration timeout, int maxBatch) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("escalation threshold must be in [0, 1]: " + threshold);
    }
    if (maxBatch < 1 || maxBatch > GATEWAY_MAX_BATCH) {
      throw new IllegalArgumentException("escalation batch size must be in [1, 256]: " + maxBatch);
    }
    String root = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
    this.classifyUri = URI.create(root + "/v1/classify");
    this.pipeline = pipeline;
    this.threshold = threshold;
    this.timeout = timeout;
    this.maxBatch = maxBatch;
  }

  /** One client per JVM: it pools connections, and executors run many tasks. */
  private static final class Client {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
        .version(HttpClient.Version.HTTP_1_1).build();
    // From the environment in a pod; ./pulse local, which runs the stream core in its own JVM, sets the property.
    static final String TOKEN = token(System.getenv("PULSE_GATEWAY_TOKEN"), System.getProperty("pulse.gateway.token"));

    static String token(String env, String property) {
      String t = env != null && !env.isBlank() ? env : property;
      return t == null || t.isBlank() ? null : t.trim();
    }
  }

  public boolean needsLlm(ScoredPost p) {
    return p.tier() == ScoredBy.LIGHT && p.confidence() < threshold;
  }

  public List<ScoredPost> escalate(List<ScoredPost> scored, Instant now) {
    List<Integer> chosen = new ArrayList<>();
    for (int i = 0; i < scored.size(); i++) {
      if (needsLlm(scored.get(i))) chosen.add(i);
    }
    if (chosen.isEmpty()) {
      return scored;
    }
    StreamMetrics.pipeline(pipeline).escalated(chosen.size());
    List<ScoredPost> out = new ArrayList<>(scored);
    for (int from = 0; from < chosen.size(); from += maxBatch) {
      List<Integer> idx = chosen.subList(from, Math.min(chosen.size(), from + maxBatch));
      List<ScoredPost> batch = idx.stream().map(scored::get).toList();
      List<ScoredPost> answered = classify(batch, now);
      for (int k = 0; k < idx.size(); k++) out.set(idx.get(k), answered.get(k));
    }
    return out;
  }

  /** One gateway request; whatever goes wrong, every post of the batch comes back. */
  List<ScoredPost> classify(List<ScoredPost> batch, Instant now) {
    io.github.resilience4j.circuitbreaker.CircuitBreaker breaker = GatewayBreakers.of(classifyUri);
    if (!breaker.tryAcquirePermission()) {
      return fallback(batch, FallbackReason.CIRCUIT_OPEN,
          "LLM gateway circuit open after repeated failures (retried after a pause)", now);
    }
    long start = System.nanoTime();
    Called called = call(batch, now);
    long took = System.nanoTime() - start;
    if (called.failure() == FallbackReason.INTERRUPTED) {
      breaker.releasePermission(); // says nothing about the gateway
    } else if (called.failure() != null) {
      breaker.onError(took, java.util.concurrent.TimeUnit.NANOSECONDS, new GatewayFailure(called.failure()));
    } else {
      breaker.onSuccess(took, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    return called.posts();
  }

  /** A call's posts, and why the call failed (null when the gateway answered as documented). */
  private record Called(List<ScoredPost> posts, FallbackReason failure) {
    static Called ok(List<ScoredPost> posts) {
      return new Called(posts, null);
    }
  }

  /** What the breaker records: the reason is all it needs. */
  static final class GatewayFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GatewayFailure(FallbackReason reason) {
      super(reason.label(), null, false, false);
    }
  }

  /**
   * A batch call's extra headers, from its posts' ids: where this process traces posts it sets the tracing context
   * (pulse-tracing's {@code callHeaders}: traceparent and the other posts' links), so the gateway's span joins the
   * posts' traces ({@link ScoreSpans} sets it while tracing is on, in both engines). None by default. Static, as
   * the JVM's tracing is.
   */
  private static volatile java.util.function.Function<List<String>, java.util.Map<String, String>> callHeaders =
      ids -> java.util.Map.of();

  /** Sets {@link #callHeaders}; null restores none. */
  public static void callHeaders(java.util.function.Function<List<String>, java.util.Map<String, String>> headers) {
    callHeaders = headers == null ? ids -> java.util.Map.of() : headers;
  }

  private Called call(List<ScoredPost> batch, Instant now) {
    try {
      HttpRequest.Builder builder = HttpRequest.newBuilder(classifyUri).timeout(timeout)
          .header("Content-Type", "application/json")
          // the gateway stops its batch before this client gives up on it (no LLM call for an unread answer)
          .header(dev.pulse.contract.GatewayHeaders.DEADLINE_MS, Long.toString(timeout.toMillis()))
          .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(batch)));
      // The gateway's service token (PULSE_GATEWAY_TOKEN, from the pipeline's Secret; read once, never logged).
      if (Client.TOKEN != null) {
        builder.header("Authorization", "Bearer " + Client.TOKEN);
      }
      callHeaders.apply(batch.stream().map(p -> p.post().id()).toList()).forEach(builder::header);
      HttpRequest request = builder.build();
      HttpResponse<byte[]> response = Client.HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        return failed(batch, FallbackReason.HTTP_ERROR, "LLM gateway answered HTTP " + response.statusCode(),
            now);
      }
      JsonNode answer = JSON.readTree(response.body());
      List<ScoredPost> applied = apply(batch, answer, now);
      return applied != null ? Called.ok(applied) : failed(batch, FallbackReason.BAD_ANSWER,
          "LLM gateway answered " + answer.path("results").size() + " results for " + batch.size() + " posts", now);
    } catch (java.net.http.HttpTimeoutException e) {
      return failed(batch, FallbackReason.TIMEOUT, "LLM gateway timed out after " + timeout.toMillis() + " ms", now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(batch, FallbackReason.INTERRUPTED, "interrupted while waiting for the LLM gateway", now);
    } catch (Exception e) {
      return failed(batch, FallbackReason.UNREACHABLE,
          "LLM gateway unreachable or unreadable: " + e.getClass().getSimpleName(), now);
    }
  }

  byte[] requestBody(List<ScoredPost> batch) {
    ObjectNode root = JSON.createObjectNode().put("pipeline", pipeline);
    ArrayNode posts = root.putArray("posts");
    for (ScoredPost p : batch) {
      posts.addObject().put("id", p.post().id()).put("text", p.post().text())
          .put("lightLabel", p.label().name().toLowerCase(Locale.ROOT)).put("lightScore", p.score());
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Maps the gateway's results (same order as asked) onto the posts; a result that does not fit falls back. Null
   * when the answer does not have one result per post (the call failed).
   */
  List<ScoredPost> apply(List<ScoredPost> batch, JsonNode answer, Instant now) {
    JsonNode results = answer.path("results");
    if (!results.isArray() || results.size() != batch.size()) {
      return null; // the caller falls back: the call failed
    }
    List<ScoredPost> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      ScoredPost light = batch.get(i);
      JsonNode r = results.get(i);
      if (!light.post().id().equals(r.path("id").asText())) {
        StreamMetrics.pipeline(pipeline).fellBack(FallbackReason.BAD_ANSWER, 1);
        out.add(marked(light, "LLM gateway answered out of order", now));
      } else if ("LLM".equals(r.path("source").asText())) {
        out.add(fromLlm(light, r, now));
      } else {
        String reason = r.path("fallbackReason").asText("UNKNOWN");
        StreamMetrics.pipeline(pipeline).fellBack(FallbackReason.GATEWAY, 1);
        out.add(marked(light, "light score kept (gateway fallback " + reason + ")"
            + (r.hasNonNull("rationale") ? ": " + r.get("rationale").asText() : ""), now));
      }
    }
    return out;
  }

  private ScoredPost fromLlm(ScoredPost light, JsonNode r, Instant now) {
    Label label;
    try {
      label = Label.valueOf(r.path("label").asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StreamMetrics.pipeline(pipeline).fellBack(FallbackReason.BAD_ANSWER, 1);
      return marked(light, "LLM gateway answered an unknown label", now);
    }
    double score = r.path("score").isNumber() ? r.get("score").asDouble() : light.score();
    double confidence = r.path("confidence").isNumber() ? r.get("confidence").asDouble() : light.confidence();
    return ScoredPost.of(light.post(), label, LightPostScorer.clamp(score, -1, 1),
        LightPostScorer.clamp(confidence, 0, 1), ScoredBy.LLM, true,
        r.hasNonNull("rationale") ? r.get("rationale").asText() : null, now);
  }

  private List<ScoredPost> fallback(List<ScoredPost> batch, FallbackReason reason, String why, Instant now) {
    StreamMetrics.pipeline(pipeline).fellBack(reason, batch.size());
    LOG.warn("{}: {} posts keep their light score", why, batch.size());
    return batch.stream().map(p -> marked(p, why, now)).toList();
  }

  private Called failed(List<ScoredPost> batch, FallbackReason reason, String why, Instant now) {
    return new Called(fallback(batch, reason, why, now), reason);
  }

  private static ScoredPost marked(ScoredPost light, String why, Instant now) {
    return ScoredPost.of(light.post(), light.label(), light.score(), light.confidence(), ScoredBy.FALLBACK, true, why,
        now);
  }
}
