package dev.pulse.llm;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.pulse.llm.standin.StandInBrain;
import dev.pulse.llm.standin.VllmStandIn;
import dev.pulse.testsupport.QdrantStandIn;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.PointStruct;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway as it runs, on a random port, wired by environment-style properties to two stand-ins:
 * {@link VllmStandIn} (vLLM's HTTP API) and {@link QdrantStandIn} (Qdrant's gRPC API). One Spring
 * context and one pair of stand-ins serve every test class that extends this.
 */
@AutoConfigureObservability // Boot turns metrics export off in tests unless asked
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayTestSupport {
  public static final String ADAPTER = "acme-sentiment-lora";
  public static final String ASSIST_MODEL = "google/gemma-2b-it";
  public static final String COLLECTION = "pulse-test";
  public static final String QDRANT_KEY = "test-qdrant-key";
  public static final int BUDGET = 40;
  public static final int CONCURRENCY = 4;
  /** The service token (PULSE_GATEWAY_TOKEN in a pod); every helper below sends it, {@link #anonymous} does not. */
  public static final String TOKEN = "gw-test-token-7f3a";

  protected static final ObjectMapper JSON = new ObjectMapper();
  protected static final VllmStandIn VLLM;
  protected static final QdrantStandIn QDRANT;
  private static boolean seeded;

  static {
    try {
      VLLM = new VllmStandIn(Set.of(ADAPTER, ASSIST_MODEL));
      QDRANT = new QdrantStandIn(QDRANT_KEY);
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void standIns(DynamicPropertyRegistry registry) {
    registry.add("pulse.gateway.token", () -> TOKEN);
    registry.add("pulse.llm.base-url", VLLM::baseUrl);
    registry.add("pulse.llm.model", () -> ADAPTER);
    registry.add("pulse.llm.assist-model", () -> ASSIST_MODEL);
    // Generous against a loaded CI machine; the slow stand-in answer (6 s) is far beyond it.
    registry.add("pulse.llm.timeout", () -> "2s");
    registry.add("pulse.llm.batch-timeout", () -> "15s");
    registry.add("pulse.llm.max-concurrency", () -> CONCURRENCY);
    registry.add("pulse.llm.budget-per-minute", () -> BUDGET);
    registry.add("pulse.qdrant.host", () -> "127.0.0.1");
    registry.add("pulse.qdrant.port", QDRANT::port);
    registry.add("pulse.qdrant.api-key", () -> QDRANT_KEY);
    registry.add("pulse.qdrant.collection", () -> COLLECTION);
    registry.add("pulse.qdrant.timeout", () -> "10s");
  }

  @LocalServerPort protected int port;
  @Autowired protected QdrantClient qdrant;
  @Autowired protected EmbeddingModel embeddings;
  @Autowired protected dev.pulse.llm.budget.LlmCallBudget budget;

  private final HttpClient http = HttpClient.newHttpClient();

  /** Labelled posts and glossary entries of two pipelines, embedded with the gateway's own model. */
  @BeforeEach
  void seedOnce() throws Exception {
    synchronized (GatewayTestSupport.class) {
      if (seeded) {
        return;
      }
      Duration patient = Duration.ofSeconds(60);
      if (!qdrant.collectionExistsAsync(COLLECTION, patient).get()) {
        qdrant.createCollectionAsync(
                CreateCollection.newBuilder()
                    .setCollectionName(COLLECTION)
                    .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(384).setDistance(Distance.Cosine)))
                    .build(),
                patient)
            .get();
      }
      List<PointStruct> points = new ArrayList<>();
      long n = 1;
      for (String[] p : new String[][] {
        {"acme", "post", "The new checkout flow keeps failing at the payment step", "negative"},
        {"acme", "post", "Checkout froze again when I tried to pay for my order", "negative"},
        {"acme", "post", "Delivery arrived a day early and the packaging was lovely", "positive"},
        {"acme", "post", "The flagship store opens at nine on Sundays", "neutral"},
        {"acme", "glossary", "FastPay: Acme's in-app checkout and payment feature; status at status.acme.example", null},
        {"acme", "glossary", "Acme One: the subscription plan with free delivery", null},
        {"other", "post", "Paying through the checkout flow was wonderful and smooth", "positive"},
        {"other", "glossary", "OtherCo Wallet: OtherCo's payment app", null},
      }) {
        var payload = new java.util.HashMap<String, io.qdrant.client.grpc.JsonWithInt.Value>();
        payload.put("pipeline", value(p[0]));
        payload.put("kind", value(p[1]));
        payload.put("text", value(p[2]));
        if (p[3] != null) {
          payload.put("label", value(p[3]));
        }
        points.add(
            PointStruct.newBuilder()
                .setId(id(n++))
                .setVectors(vectors(embeddings.embed(p[2]).content().vector()))
                .putAllPayload(payload)
                .build());
      }
      qdrant.upsertAsync(COLLECTION, points, patient).get();
      seeded = true;
    }
  }

  @AfterEach
  void resetStandIns() {
    // Every case is one caller (the token's): each starts with the whole budget, as a fresh minute would.
    budget.clear();
    VLLM.brain(new StandInBrain());
    VLLM.clear();
    QDRANT.failing(false);
  }

  protected record Response(int status, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  protected Response post(String path, Object body) throws Exception {
    String text = body instanceof String s ? s : JSON.writeValueAsString(body);
    return send(path, text, "application/json");
  }

  protected Response send(String path, String body, String contentType) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", contentType)
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  protected Response get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /** A request with the given Authorization header (null: none), as a caller without the token sends it. */
  protected Response anonymous(String method, String path, String authorization, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  protected int port() {
    return port;
  }

  /** A sample's value in the Prometheus scrape, 0 when the series does not exist yet. */
  protected double metric(String name, Map<String, String> tags) throws Exception {
    String scrape = get("/actuator/prometheus").body();
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(scrape);
    while (m.find()) {
      String labels = m.group(1);
      if (tags.entrySet().stream().allMatch(t -> labels.contains(t.getKey() + "=\"" + t.getValue() + "\""))) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0;
  }

  protected static Map<String, Object> item(String id, String text) {
    return Map.of("id", id, "text", text);
  }

  protected static Map<String, Object> item(String id, String text, String lightLabel, double lightScore) {
    return Map.of("id", id, "text", text, "lightLabel", lightLabel, "lightScore", lightScore);
  }

  protected static Map<String, Object> batch(String pipeline, List<Map<String, Object>> posts) {
    return Map.of("pipeline", pipeline, "posts", posts);
  }
}
