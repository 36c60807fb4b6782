package dev.pulse.operator.qdrant;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionDescription;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.Collections.OptimizerStatus;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.CollectionsGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A STAND-IN for the Qdrant server, for tests only: a localhost gRPC server implementing Qdrant's real
 * {@code qdrant.Collections} service (Create, Get, Delete, List, CollectionExists) from the generated bases in
 * the io.qdrant:client jar, so the real Qdrant Java client talks to it unchanged. Answers are shaped like
 * Qdrant's: NOT_FOUND "Not found: Collection `x` doesn't exist!", ALREADY_EXISTS on a second create, an
 * {@code api-key} header checked as Qdrant checks it. Modelled on llm-runtime's stand-in; kept separate so
 * each module tests against its own copy.
 */
public final class QdrantStandIn implements AutoCloseable {

  private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

  /** A collection as the stand-in stores it. */
  public record Stored(long size, Distance distance, long points) {}

  private final Map<String, Stored> collections = new ConcurrentHashMap<>();
  private final String apiKey;
  private final Server server;
  private volatile boolean failing;
  private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

  public QdrantStandIn(String apiKey) throws IOException {
    this.apiKey = apiKey;
    this.server = ServerBuilder.forPort(0)
        .addService(ServerInterceptors.intercept(new CollectionsService(), new ApiKeyCheck()))
        .build()
        .start();
  }

  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  public Map<String, Stored> collections() {
    return collections;
  }

  /** Puts a collection in place as if someone else had created it (e.g. with other settings). */
  public void seed(String name, long size, Distance distance, long points) {
    collections.put(name, new Stored(size, distance, points));
  }

  /** gRPC calls received so far: a test can tell that a reconcile ran. */
  public int calls() {
    return calls.get();
  }

  /** While true every call fails UNAVAILABLE, as when the server is down. */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  private final class ApiKeyCheck implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      calls.incrementAndGet();
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
      VectorParams params = request.getVectorsConfig().getParams();
      if (params.getSize() == 0) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("Wrong input: Vector size must be greater than 0")
            .asRuntimeException());
        return;
      }
      if (collections.putIfAbsent(request.getCollectionName(), new Stored(params.getSize(), params.getDistance(), 0)) != null) {
        out.onError(Status.ALREADY_EXISTS.withDescription("Wrong input: Collection `" + request.getCollectionName()
            + "` already exists!").asRuntimeException());
        return;
      }
      out.onNext(CollectionOperationResponse.newBuilder().setResult(true).setTime(0.012).build());
      out.onCompleted();
    }

    @Override
    public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> out) {
      Stored c = collections.get(request.getCollectionName());
      if (c == null) {
        out.onError(notFound(request.getCollectionName()));
        return;
      }
      CollectionInfo info = CollectionInfo.newBuilder()
          .setStatus(CollectionStatus.Green)
          .setOptimizerStatus(OptimizerStatus.newBuilder().setOk(true))
          .setSegmentsCount(2)
          .setPointsCount(c.points())
          .setIndexedVectorsCount(0)
          .setConfig(CollectionConfig.newBuilder()
              .setParams(CollectionParams.newBuilder()
                  .setShardNumber(1).setOnDiskPayload(true).setReplicationFactor(1).setWriteConsistencyFactor(1)
                  .setVectorsConfig(VectorsConfig.newBuilder().setParams(
                      VectorParams.newBuilder().setSize(c.size()).setDistance(c.distance()))))
              .setHnswConfig(HnswConfigDiff.newBuilder().setM(16).setEfConstruct(100).setFullScanThreshold(10000)))
          .build();
      out.onNext(GetCollectionInfoResponse.newBuilder().setResult(info).setTime(0.0002).build());
      out.onCompleted();
    }

    @Override
    public void delete(DeleteCollection request, StreamObserver<CollectionOperationResponse> out) {
      // Qdrant answers result=false, not an error, for a collection that does not exist.
      boolean existed = collections.remove(request.getCollectionName()) != null;
      out.onNext(CollectionOperationResponse.newBuilder().setResult(existed).setTime(0.004).build());
      out.onCompleted();
    }

    @Override
    public void list(ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> out) {
      List<CollectionDescription> names = collections.keySet().stream().sorted()
          .map(n -> CollectionDescription.newBuilder().setName(n).build()).toList();
      out.onNext(ListCollectionsResponse.newBuilder().addAllCollections(names).setTime(0.0001).build());
      out.onCompleted();
    }

    @Override
    public void collectionExists(CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> out) {
      out.onNext(CollectionExistsResponse.newBuilder()
          .setResult(CollectionExists.newBuilder().setExists(collections.containsKey(request.getCollectionName())))
          .setTime(0.0001).build());
      out.onCompleted();
    }
  }

  private static RuntimeException notFound(String name) {
    return Status.NOT_FOUND.withDescription("Not found: Collection `" + name + "` doesn't exist!").asRuntimeException();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
