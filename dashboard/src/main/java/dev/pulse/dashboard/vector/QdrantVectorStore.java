package dev.pulse.dashboard.vector;

import static io.qdrant.client.WithPayloadSelectorFactory.include;

import dev.pulse.event.PointIds;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.RecommendPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * "Posts like this" in a cluster: the pipeline's Qdrant collection, which the Spark job fills (point id = UUID v5 of
 * the post id, payload {@code post_id}). Asks Qdrant's recommend API for the nearest points to the post's own point,
 * over gRPC with the official Java client. Read-only: the dashboard never writes to the collection.
 */
public final class QdrantVectorStore implements VectorStore, AutoCloseable {
  private final QdrantClient client;
  private final String collection;
  private final Duration timeout;

  public QdrantVectorStore(String host, int port, boolean tls, String apiKey, String collection, Duration timeout) {
    QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(host, port, tls, false).withTimeout(timeout);
    if (apiKey != null && !apiKey.isBlank()) {
      grpc.withApiKey(apiKey);
    }
    this.client = new QdrantClient(grpc.build());
    this.collection = collection;
    this.timeout = timeout;
  }

  @Override
  public void upsert(String id, float[] vector) {
    throw new UnsupportedOperationException("the pipeline writes the Qdrant collection; the dashboard only reads it");
  }

  @Override
  public Optional<List<Match>> similarTo(String id, int k) {
    RecommendPoints request = RecommendPoints.newBuilder().setCollectionName(collection)
        .addPositive(PointIdFactory.id(PointIds.of(id))).setLimit(k).setWithPayload(include(List.of("post_id")))
        .build();
    List<ScoredPoint> points;
    try {
      points = client.recommendAsync(request, timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw new IllegalStateException("Qdrant recommend on " + collection + " failed: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking Qdrant", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Qdrant did not answer in " + timeout.toMillis() + " ms", e);
    }
    List<Match> out = new ArrayList<>(points.size());
    for (ScoredPoint p : points) {
      Value postId = p.getPayloadMap().get("post_id");
      if (postId != null && postId.hasStringValue()) {
        out.add(new Match(postId.getStringValue(), p.getScore()));
      }
    }
    return Optional.of(out);
  }

  @Override
  public int size() {
    return -1; // not counted: the collection is the pipeline's
  }

  @Override
  public void close() {
    client.close();
  }
}
