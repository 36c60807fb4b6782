package dev.pulse.llm.standin;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.PointsGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A STAND-IN for the Qdrant server, for tests only: it implements the part of Qdrant's real gRPC
 * protocol the gateway uses, from the io.qdrant:client jar's generated service bases, so the real
 * Qdrant Java client talks to it unchanged. Collections: Create, CollectionExists. Points: Upsert,
 * Search (brute-force cosine, {@code must} keyword filters, limit, payload). An {@code api-key}
 * header is checked the way Qdrant checks it. Anything else answers UNIMPLEMENTED.
 */
public final class QdrantStandIn implements AutoCloseable {
  private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

  private record Stored(PointId id, float[] vector, Map<String, Value> payload) {}

  private record Collection(int size, Distance distance, Map<String, Stored> points) {}

  private final Map<String, Collection> collections = new ConcurrentHashMap<>();
  private final AtomicInteger searches = new AtomicInteger();
  private final String apiKey;
  private final Server server;
  private volatile boolean failing;

  public QdrantStandIn(String apiKey) throws IOException {
    this.apiKey = apiKey;
    server =
        ServerBuilder.forPort(0)
            .addService(ServerInterceptors.intercept(new CollectionsService(), new ApiKeyCheck()))
            .addService(ServerInterceptors.intercept(new PointsService(), new ApiKeyCheck()))
            .build()
            .start();
  }

  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  public int searches() {
    return searches.get();
  }

  /** While true every call fails UNAVAILABLE, as when the server is down. */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  private final class ApiKeyCheck implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
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
      if (params.getSize() == 0) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("Wrong input: vector size must be > 0").asRuntimeException());
        return;
      }
      boolean created =
          collections.putIfAbsent(
                  request.getCollectionName(),
                  new Collection((int) params.getSize(), params.getDistance(), new ConcurrentHashMap<>()))
              == null;
      if (!created) {
        out.onError(Status.ALREADY_EXISTS.withDescription("Wrong input: Collection `" + request.getCollectionName() + "` already exists!").asRuntimeException());
        return;
      }
      out.onNext(CollectionOperationResponse.newBuilder().setResult(true).setTime(0.001).build());
      out.onCompleted();
    }

    @Override
    public void collectionExists(CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> out) {
      boolean exists = collections.containsKey(request.getCollectionName());
      out.onNext(
          CollectionExistsResponse.newBuilder()
              .setResult(CollectionExists.newBuilder().setExists(exists))
              .setTime(0.0001)
              .build());
      out.onCompleted();
    }
  }

  private final class PointsService extends PointsGrpc.PointsImplBase {
    @Override
    public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> out) {
      Collection c = collection(request.getCollectionName(), out);
      if (c == null) {
        return;
      }
      for (PointStruct p : request.getPointsList()) {
        float[] v = dense(p.getVectors().getVector());
        if (v.length != c.size()) {
          out.onError(dimensionError(c.size(), v.length));
          return;
        }
        c.points().put(key(p.getId()), new Stored(p.getId(), v, p.getPayloadMap()));
      }
      out.onNext(
          PointsOperationResponse.newBuilder()
              .setResult(UpdateResult.newBuilder().setOperationId(1).setStatus(UpdateStatus.Completed))
              .setTime(0.001)
              .build());
      out.onCompleted();
    }

    @Override
    public void search(SearchPoints request, StreamObserver<SearchResponse> out) {
      searches.incrementAndGet();
      Collection c = collection(request.getCollectionName(), out);
      if (c == null) {
        return;
      }
      float[] query = new float[request.getVectorCount()];
      for (int i = 0; i < query.length; i++) {
        query[i] = request.getVector(i);
      }
      if (query.length != c.size()) {
        out.onError(dimensionError(c.size(), query.length));
        return;
      }
      for (Condition cond : request.getFilter().getMustList()) {
        if (!cond.hasField() || !cond.getField().getMatch().hasKeyword()) {
          out.onError(Status.UNIMPLEMENTED.withDescription("stand-in supports keyword match conditions only").asRuntimeException());
          return;
        }
      }
      List<ScoredPoint> hits =
          c.points().values().stream()
              .filter(p -> matches(p.payload(), request.getFilter()))
              .map(p -> scored(p, cosine(query, p.vector()), request.getWithPayload().getEnable()))
              .sorted(Comparator.comparingDouble(ScoredPoint::getScore).reversed())
              .limit(request.getLimit())
              .toList();
      out.onNext(SearchResponse.newBuilder().addAllResult(hits).setTime(0.0005).build());
      out.onCompleted();
    }
  }

  private <T> Collection collection(String name, StreamObserver<T> out) {
    Collection c = collections.get(name);
    if (c == null) {
      out.onError(Status.NOT_FOUND.withDescription("Not found: Collection `" + name + "` doesn't exist!").asRuntimeException());
    }
    return c;
  }

  private static RuntimeException dimensionError(int expected, int got) {
    return Status.INVALID_ARGUMENT
        .withDescription("Wrong input: Vector dimension error: expected dim: " + expected + ", got " + got)
        .asRuntimeException();
  }

  private static boolean matches(Map<String, Value> payload, Filter filter) {
    for (Condition cond : filter.getMustList()) {
      FieldCondition f = cond.getField();
      Value v = payload.get(f.getKey());
      if (v == null || !v.hasStringValue() || !v.getStringValue().equals(f.getMatch().getKeyword())) {
        return false;
      }
    }
    return true;
  }

  private static ScoredPoint scored(Stored p, double score, boolean withPayload) {
    ScoredPoint.Builder b = ScoredPoint.newBuilder().setId(p.id()).setScore((float) score).setVersion(1);
    if (withPayload) {
      b.putAllPayload(p.payload());
    }
    return b.build();
  }

  /** Accepts both encodings the client may send: the current {@code dense} and the older {@code data}. */
  @SuppressWarnings("deprecation")
  private static float[] dense(Vector v) {
    List<Float> values = v.hasDense() ? v.getDense().getDataList() : v.getDataList();
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private static String key(PointId id) {
    return id.hasUuid() ? id.getUuid() : Long.toString(id.getNum());
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
