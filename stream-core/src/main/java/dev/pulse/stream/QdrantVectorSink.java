package dev.pulse.stream;

import dev.pulse.event.PointIds;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;

import dev.pulse.event.ScoredPost;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Upserts scored posts to the pipeline's Qdrant collection through Qdrant's Java client (gRPC), in requests of at
 * most {@code batchSize} points. Point id: {@link PointIds} of the post id, so a replay overwrites. Payload: what the
 * LLM gateway's retrieval filters and reads ({@code pipeline}, {@code kind}=post, {@code text}, {@code label} in lower
 * case) plus {@code post_id}, {@code score}, {@code tier}, {@code source}, {@code feed}, {@code created_at}.
 *
 * <p>The API key comes from the environment ({@code PULSE_QDRANT_API_KEY}, filled from a Secret by the operator) on
 * the executor itself, so it is never serialised with the job. Upserts run in the background ({@link VectorWriter}):
 * batched, bounded, behind a circuit breaker; what cannot be stored is skipped and counted, since the vector store
 * feeds retrieval and a Qdrant outage must not stop or slow sentiment.
 */
public final class QdrantVectorSink implements VectorSink {
  private static final long serialVersionUID = 1L;
  public static final String API_KEY_ENV = "PULSE_QDRANT_API_KEY";
  private static final Map<String, QdrantClient> CLIENTS = new ConcurrentHashMap<>();
  private static final Map<String, VectorWriter> WRITERS = new ConcurrentHashMap<>();
  /** Points queued per JVM and collection at most: about 8 MiB of 384-dimension points with their payload. */
  static final int QUEUE_CAPACITY = 4096;
  /** How long the breaker stays open before a batch probes Qdrant again. */
  static final Duration OPEN_FOR = Duration.ofSeconds(10);

  private final String host;
  private final int port;
  private final boolean tls;
  private final String collection;
  private final Duration timeout;
  private final int batchSize;
  private final String apiKeyOverride;
  private final Duration openFor;

  public QdrantVectorSink(String host, int port, boolean tls, String collection, Duration timeout, int batchSize) {
    this(host, port, tls, collection, timeout, batchSize, null);
  }

  /** {@code apiKey} non-null only in tests; otherwise it is read from the environment where the sink runs. */
  QdrantVectorSink(String host, int port, boolean tls, String collection, Duration timeout, int batchSize,
      String apiKey) {
    this(host, port, tls, collection, timeout, batchSize, apiKey, null);
  }

  /** {@code openFor} non-null only in tests: how long the breaker stays open (default {@link #OPEN_FOR}). */
  QdrantVectorSink(String host, int port, boolean tls, String collection, Duration timeout, int batchSize,
      String apiKey, Duration openFor) {
    this.openFor = openFor;
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.collection = collection;
    this.timeout = timeout;
    this.batchSize = batchSize;
    this.apiKeyOverride = apiKey;
  }

  private String apiKey() {
    return apiKeyOverride != null ? apiKeyOverride : System.getenv(API_KEY_ENV);
  }

  /** Which server and credentials: one client and one writer per JVM for each. */
  private String endpoint() {
    String apiKey = apiKey();
    return host + ":" + port + ":" + tls + ":" + (apiKey == null ? "" : Integer.toHexString(apiKey.hashCode()));
  }

  private QdrantClient client() {
    String apiKey = apiKey();
    return CLIENTS.computeIfAbsent(endpoint(), k -> {
      QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(host, port, tls, false);
      if (apiKey != null && !apiKey.isEmpty()) {
        grpc.withApiKey(apiKey);
      }
      return new QdrantClient(grpc.withTimeout(timeout).build());
    });
  }

  /**
   * Queues the points with this JVM's writer for the collection and returns at once: the upserts happen in the
   * background, batched, behind a circuit breaker ({@link VectorWriter}), so a slow or hanging Qdrant never holds up
   * scoring.
   */
  @Override
  public void upsert(String pipeline, List<ScoredPost> posts, float[][] vectors) {
    List<PointStruct> points = new ArrayList<>(posts.size());
    for (int i = 0; i < posts.size(); i++) points.add(point(pipeline, posts.get(i), vectors[i]));
    writer().offer(pipeline, points);
  }

  VectorWriter writer() {
    return WRITERS.computeIfAbsent(endpoint() + ":" + collection, k -> new VectorWriter(collection, this::send,
        batchSize, QUEUE_CAPACITY, openFor == null ? OPEN_FOR : openFor));
  }

  private void send(List<PointStruct> points) throws Exception {
    // The client's own deadline ends a hanging call; get()'s bound is only a backstop.
    client().upsertAsync(collection, points, timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
  }

  static PointStruct point(String pipeline, ScoredPost p, float[] vector) {
    Map<String, Value> payload = new LinkedHashMap<>();
    payload.put("pipeline", value(pipeline));
    payload.put("kind", value("post"));
    payload.put("post_id", value(p.post().id()));
    payload.put("text", value(p.post().text()));
    payload.put("label", value(p.label().name().toLowerCase(Locale.ROOT)));
    payload.put("score", value(p.score()));
    payload.put("tier", value(p.tier().name()));
    payload.put("source", value(p.post().source().name()));
    payload.put("feed", value(p.post().feed()));
    payload.put("created_at", value(p.post().createdAt().toString()));
    return PointStruct.newBuilder().setId(id(PointIds.of(p.post().id()))).setVectors(vectors(vector))
        .putAllPayload(payload).build();
  }
}
