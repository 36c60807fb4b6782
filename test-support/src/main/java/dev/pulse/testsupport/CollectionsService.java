package dev.pulse.testsupport;

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
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.Collections.OptimizerStatus;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.CollectionsGrpc;

/** {@code qdrant.Collections}: Create, Get, Delete, List, CollectionExists. */
final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {
  private final Store store;

  CollectionsService(Store store) {
    this.store = store;
  }

  @Override
  public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> out) {
    VectorParams params = request.getVectorsConfig().getParams();
    if (params.getSize() == 0) {
      out.onError(Answers.invalid("Vector size must be greater than 0"));
      return;
    }
    if (!store.create(request.getCollectionName(), params.getSize(), params.getDistance())) {
      out.onError(Answers.alreadyExists(request.getCollectionName()));
      return;
    }
    out.onNext(CollectionOperationResponse.newBuilder().setResult(true).setTime(0.012).build());
    out.onCompleted();
  }

  @Override
  public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> out) {
    Store.Held c = Answers.collection(store, request.getCollectionName(), out);
    if (c == null) {
      return;
    }
    // The fields the Java client and the operator read, with the values a fresh single-node Qdrant reports.
    CollectionInfo info = CollectionInfo.newBuilder()
        .setStatus(CollectionStatus.Green)
        .setOptimizerStatus(OptimizerStatus.newBuilder().setOk(true))
        .setSegmentsCount(2)
        .setPointsCount(c.summary().points())
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
    boolean existed = store.delete(request.getCollectionName());
    out.onNext(CollectionOperationResponse.newBuilder().setResult(existed).setTime(0.004).build());
    out.onCompleted();
  }

  @Override
  public void list(ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> out) {
    ListCollectionsResponse.Builder answer = ListCollectionsResponse.newBuilder().setTime(0.0001);
    store.names().forEach(n -> answer.addCollections(CollectionDescription.newBuilder().setName(n)));
    out.onNext(answer.build());
    out.onCompleted();
  }

  @Override
  public void collectionExists(CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> out) {
    boolean exists = store.get(request.getCollectionName()) != null;
    out.onNext(CollectionExistsResponse.newBuilder()
        .setResult(CollectionExists.newBuilder().setExists(exists))
        .setTime(0.0001)
        .build());
    out.onCompleted();
  }
}
