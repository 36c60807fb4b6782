package dev.pulse.scoring.eval.escalation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Label;
import dev.pulse.scoring.Score;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pipeline's escalation call, as the Spark job makes it: {@code POST /v1/classify} on the LLM gateway with each
 * post's light label and polarity, one result per post back in order ({@code source} LLM, or FALLBACK with the
 * light label standing).
 */
public final class GatewayClassifier {
  /** One post's answer: the label that stands, and whether the LLM gave it. */
  public record Answer(Label label, boolean fromLlm, String fallbackReason) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI classify;
  private final String pipeline;
  private final Duration timeout;
  private final String token;

  /** @param token the gateway's service token, sent as a bearer token (never logged); null sends none */
  public GatewayClassifier(String gatewayUrl, String pipeline, Duration timeout, String token) {
    String root = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
    this.classify = URI.create(root + "/v1/classify");
    this.pipeline = pipeline;
    this.timeout = timeout;
    this.token = token == null || token.isBlank() ? null : token.trim();
  }

  /** @param ids one per post, unique in the batch */
  public List<Answer> classify(List<String> ids, List<String> texts, List<Score> light)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("pipeline", pipeline);
    ArrayNode posts = body.putArray("posts");
    for (int i = 0; i < texts.size(); i++) {
      posts.addObject().put("id", ids.get(i)).put("text", texts.get(i))
          .put("lightLabel", light.get(i).label().name().toLowerCase(Locale.ROOT)).put("lightScore", light.get(i).score());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(classify).timeout(timeout)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("the gateway answered HTTP " + r.statusCode() + ": " + r.body());
    }
    JsonNode results = JSON.readTree(r.body()).path("results");
    if (!results.isArray() || results.size() != texts.size()) {
      throw new IOException("the gateway answered " + results.size() + " results for " + texts.size() + " posts");
    }
    List<Answer> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      JsonNode res = results.get(i);
      if (!ids.get(i).equals(res.path("id").asText())) {
        throw new IOException("the gateway answered out of order at " + i);
      }
      Label label = Label.valueOf(res.path("label").asText().toUpperCase(Locale.ROOT));
      boolean llm = "LLM".equals(res.path("source").asText());
      out.add(new Answer(label, llm, llm ? null : res.path("fallbackReason").asText("UNKNOWN")));
    }
    return out;
  }
}
