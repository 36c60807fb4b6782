package dev.pulse.spark;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.PointsGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A STAND-IN for the Qdrant server, for tests only (a copy, trimmed to what the Spark job calls, of the one in
 * llm-runtime's tests): a gRPC server built from the io.qdrant:client jar's generated service bases, so the real
 * Qdrant Java client talks to it unchanged. Collections: Create. Points: Upsert (dimension checked, points kept by
 * id). The {@code api-key} header is checked the way Qdrant checks it; anything else answers UNIMPLEMENTED.
 */
final class QdrantStandIn implements AutoCloseable {
  private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

  /** A point as the stand-in received it. */
  record Stored(PointId id, float[] vector, Map<String, Value> payload) {}

  private record Collection(int size, Map<String, Stored> points) {}

  private final Map<String, Collection> collections = new ConcurrentHashMap<>();
  private final AtomicInteger upserts = new AtomicInteger();
  private final String apiKey;
  private final Server server;
  private volatile boolean failing;

  QdrantStandIn(String apiKey) throws IOException {
    this.apiKey = apiKey;
    server = ServerBuilder.forPort(0)
        .addService(ServerInterceptors.intercept(new CollectionsService(), new ApiKeyCheck()))
        .addService(ServerInterceptors.intercept(new PointsService(), new ApiKeyCheck()))
        .build()
        .start();
  }

  int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** Upsert requests received (successful or not). */
  int upserts() {
    return upserts.get();
  }

  Map<String, Stored> points(String collection) {
    return collections.get(collection).points();
  }

  /** While true every call fails UNAVAILABLE, as when the server is down. */
  void failing(boolean failing) {
    this.failing = failing;
  }

  private final class ApiKeyCheck implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      if (failing) {
        call.close(Status.UNAVAILABLE.withDescription("stand-in is failing"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      if (apiKey != null && !apiKey.equals(headers.get(API_KEY))) {
        call.close(Status.UNAUTHENTICATED.withDescription("Invalid api-key"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }

  private final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {
    @Override
    public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> out) {
      var params = request.getVectorsConfig().getParams();
      if (collections.putIfAbsent(request.getCollectionName(),
          new Collection((int) params.getSize(), new ConcurrentHashMap<>())) != null) {
        out.onError(Status.ALREADY_EXISTS.withDescription(
            "Wrong input: Collection `" + request.getCollectionName() + "` already exists!").asRuntimeException());
        return;
      }
      out.onNext(CollectionOperationResponse.newBuilder().setResult(true).setTime(0.001).build());
      out.onCompleted();
    }
  }

  private final class PointsService extends PointsGrpc.PointsImplBase {
    @Override
    public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> out) {
      upserts.incrementAndGet();
      Collection c = collections.get(request.getCollectionName());
      if (c == null) {
        out.onError(Status.NOT_FOUND.withDescription(
            "Not found: Collection `" + request.getCollectionName() + "` doesn't exist!").asRuntimeException());
        return;
      }
      for (PointStruct p : request.getPointsList()) {
        float[] v = dense(p.getVectors().getVector());
        if (v.length != c.size()) {
          out.onError(Status.INVALID_ARGUMENT.withDescription("Wrong input: Vector dimension error: expected dim: "
              + c.size() + ", got " + v.length).asRuntimeException());
          return;
        }
      }
      for (PointStruct p : request.getPointsList()) {
        String key = p.getId().hasUuid() ? p.getId().getUuid() : Long.toString(p.getId().getNum());
        c.points().put(key, new Stored(p.getId(), dense(p.getVectors().getVector()), p.getPayloadMap()));
      }
      out.onNext(PointsOperationResponse.newBuilder()
          .setResult(UpdateResult.newBuilder().setOperationId(upserts.get()).setStatus(UpdateStatus.Completed))
          .setTime(0.001).build());
      out.onCompleted();
    }
  }

  /** Accepts both encodings the client may send: the current {@code dense} and the older {@code data}. */
  @SuppressWarnings("deprecation")
  private static float[] dense(Vector v) {
    List<Float> values = v.hasDense() ? v.getDense().getDataList() : v.getDataList();
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) out[i] = values.get(i);
    return out;
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
