package dev.pulse.operator.qdrant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manages one pipeline's Qdrant collection through Qdrant's Java client (gRPC): create it when missing, report
 * drift in vector size or distance (never recreate silently: it holds the vectors), delete it on request.
 */
public class QdrantCollections {

  private static final Logger log = LoggerFactory.getLogger(QdrantCollections.class);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  /** The desired shape of a collection. */
  public record Shape(int size, Distance distance) {
    @Override
    public String toString() { return size + "-dimensional " + distance + " vectors"; }
  }

  /** Creates the collection when missing; otherwise compares it with {@code shape}. Never throws. */
  public CollectionCheck ensure(QdrantEndpoint endpoint, String collection, Shape shape) {
    try (QdrantClient client = connect(endpoint)) {
      // Ask first rather than reading NOT_FOUND from Get: the client logs every failed call as an ERROR.
      if (Boolean.TRUE.equals(await(client.collectionExistsAsync(collection, CALL_TIMEOUT)))) {
        return compare(collection, shape, await(client.getCollectionInfoAsync(collection, CALL_TIMEOUT)));
      }
      VectorParams params = VectorParams.newBuilder().setSize(shape.size()).setDistance(shape.distance()).build();
      try {
        await(client.createCollectionAsync(collection, params, CALL_TIMEOUT));
      } catch (StatusRuntimeException raced) {
        if (raced.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
          throw raced;
        }
        // Created by someone else between our check and create: compare it like any existing collection.
        return compare(collection, shape, await(client.getCollectionInfoAsync(collection, CALL_TIMEOUT)));
      }
      log.info("created Qdrant collection {} at {} with {}", collection, endpoint, shape);
      return new CollectionCheck.Ready(collection, 0, true, shape.toString());
    } catch (StatusRuntimeException e) {
      return failure(endpoint, e);
    } catch (RuntimeException e) {
      return new CollectionCheck.Failed(CollectionCheck.UNREACHABLE,
          "Could not reach Qdrant at " + endpoint + ": " + e.getMessage() + "; retrying with backoff");
    }
  }

  /** Deletes the collection; true when it is gone (also when it was never there). */
  public CollectionCheck delete(QdrantEndpoint endpoint, String collection) {
    try (QdrantClient client = connect(endpoint)) {
      if (!Boolean.TRUE.equals(await(client.collectionExistsAsync(collection, CALL_TIMEOUT)))) {
        return new CollectionCheck.Ready(collection, 0, false, "already gone");
      }
      await(client.deleteCollectionAsync(collection, CALL_TIMEOUT));
      log.info("deleted Qdrant collection {} at {}", collection, endpoint);
      return new CollectionCheck.Ready(collection, 0, false, "been deleted");
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new CollectionCheck.Ready(collection, 0, false, "already gone");
      }
      return failure(endpoint, e);
    } catch (RuntimeException e) {
      return new CollectionCheck.Failed(CollectionCheck.UNREACHABLE, "Could not reach Qdrant at " + endpoint + ": "
          + e.getMessage());
    }
  }

  static CollectionCheck compare(String collection, Shape shape, CollectionInfo info) {
    VectorsConfig vectors = info.getConfig().getParams().getVectorsConfig();
    if (!vectors.hasParams()) {
      return new CollectionCheck.Drift(collection, "it has named vectors (" + vectors.getParamsMap().getMapMap().keySet()
          + "), Pulse expects one unnamed vector of " + shape);
    }
    List<String> differences = new ArrayList<>();
    if (vectors.getParams().getSize() != shape.size()) {
      differences.add("vector size is " + vectors.getParams().getSize() + ", spec says " + shape.size());
    }
    if (vectors.getParams().getDistance() != shape.distance()) {
      differences.add("distance is " + vectors.getParams().getDistance() + ", spec says " + shape.distance());
    }
    if (!differences.isEmpty()) {
      return new CollectionCheck.Drift(collection, String.join("; ", differences));
    }
    return new CollectionCheck.Ready(collection, info.getPointsCount(), false, shape.toString());
  }

  private static CollectionCheck failure(QdrantEndpoint endpoint, StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String detail = e.getStatus().getDescription() == null ? code.name() : code + ": " + e.getStatus().getDescription();
    return switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> new CollectionCheck.Failed(CollectionCheck.UNREACHABLE,
          "Qdrant at " + endpoint + " is unreachable (" + detail + "); check spec.vectorStore.host/grpcPort and that "
              + "Qdrant is running; retrying with backoff");
      case UNAUTHENTICATED, PERMISSION_DENIED -> new CollectionCheck.Failed(CollectionCheck.UNAUTHORIZED,
          "Qdrant at " + endpoint + " refused the API key (" + code + "); check the Secret in "
              + "spec.vectorStore.apiKeySecret");
      default -> new CollectionCheck.Failed(CollectionCheck.ERROR, "Qdrant at " + endpoint + " answered " + detail);
    };
  }

  /** A client per call: reconciles are rare and endpoints differ per pipeline. Overridable for tests. */
  protected QdrantClient connect(QdrantEndpoint endpoint) {
    // checkCompatibility=false: no version probe at connect time, one fewer call and no log noise.
    QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(endpoint.host(), endpoint.port(), endpoint.tls(), false)
        .withTimeout(CALL_TIMEOUT);
    if (endpoint.apiKey() != null && !endpoint.apiKey().isEmpty()) {
      builder.withApiKey(endpoint.apiKey());
    }
    return new QdrantClient(builder.build());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get(CALL_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw s;
      }
      throw new IllegalStateException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED.withDescription("no answer in " + CALL_TIMEOUT.toSeconds() + "s").asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }
}
