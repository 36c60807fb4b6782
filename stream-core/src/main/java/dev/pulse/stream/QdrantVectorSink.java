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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts scored posts to the pipeline's Qdrant collection through Qdrant's Java client (gRPC), in requests of at
 * most {@code batchSize} points. Point id: {@link PointIds} of the post id, so a replay overwrites. Payload: what the
 * LLM gateway's retrieval filters and reads ({@code pipeline}, {@code kind}=post, {@code text}, {@code label} in lower
 * case) plus {@code post_id}, {@code score}, {@code tier}, {@code source}, {@code feed}, {@code created_at}.
 *
 * <p>The API key comes from the environment ({@code PULSE_QDRANT_API_KEY}, filled from a Secret by the operator) on
 * the executor itself, so it is never serialised with the job. A failed upsert is retried, then logged and skipped:
 * the vector store feeds retrieval, and a Qdrant outage must not stop sentiment from flowing.
 */
public final class QdrantVectorSink implements VectorSink {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(QdrantVectorSink.class);
  public static final String API_KEY_ENV = "PULSE_QDRANT_API_KEY";
  private static final Map<String, QdrantClient> CLIENTS = new ConcurrentHashMap<>();
  private static final int ATTEMPTS = 3;

  private final String host;
  private final int port;
  private final boolean tls;
  private final String collection;
  private final Duration timeout;
  private final int batchSize;
  private final String apiKeyOverride;

  public QdrantVectorSink(String host, int port, boolean tls, String collection, Duration timeout, int batchSize) {
    this(host, port, tls, collection, timeout, batchSize, null);
  }

  /** {@code apiKey} non-null only in tests; otherwise it is read from the environment where the sink runs. */
  QdrantVectorSink(String host, int port, boolean tls, String collection, Duration timeout, int batchSize,
      String apiKey) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.collection = collection;
    this.timeout = timeout;
    this.batchSize = batchSize;
    this.apiKeyOverride = apiKey;
  }

  private QdrantClient client() {
    String apiKey = apiKeyOverride != null ? apiKeyOverride : System.getenv(API_KEY_ENV);
    String key = host + ":" + port + ":" + tls + ":" + (apiKey == null ? "" : Integer.toHexString(apiKey.hashCode()));
    return CLIENTS.computeIfAbsent(key, k -> {
      QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(host, port, tls, false);
      if (apiKey != null && !apiKey.isEmpty()) {
        grpc.withApiKey(apiKey);
      }
      return new QdrantClient(grpc.withTimeout(timeout).build());
    });
  }

  @Override
  public void upsert(String pipeline, List<ScoredPost> posts, float[][] vectors) {
    for (int from = 0; from < posts.size(); from += batchSize) {
      int to = Math.min(posts.size(), from + batchSize);
      List<PointStruct> points = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) points.add(point(pipeline, posts.get(i), vectors[i]));
      send(points);
    }
  }

  private void send(List<PointStruct> points) {
    for (int attempt = 1; ; attempt++) {
      try {
        client().upsertAsync(collection, points, timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (attempt >= ATTEMPTS) {
          LOG.warn("Qdrant upsert of {} points to {} failed {} times, skipped: {}", points.size(), collection,
              attempt, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
          return;
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
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
