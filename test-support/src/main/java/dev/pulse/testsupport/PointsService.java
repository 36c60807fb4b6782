package dev.pulse.testsupport;

import dev.pulse.testsupport.QdrantStandIn.StoredPoint;
import io.grpc.stub.StreamObserver;
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
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code qdrant.Points}: Upsert and Search. */
final class PointsService extends PointsGrpc.PointsImplBase {
  private final Store store;
  private final AtomicInteger upserts = new AtomicInteger();
  private final AtomicInteger searches = new AtomicInteger();

  PointsService(Store store) {
    this.store = store;
  }

  int upserts() {
    return upserts.get();
  }

  int searches() {
    return searches.get();
  }

  @Override
  public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> out) {
    int operation = upserts.incrementAndGet();
    Store.Held c = Answers.collection(store, request.getCollectionName(), out);
    if (c == null) {
      return;
    }
    // Every vector is checked before any is stored: Qdrant refuses the whole batch.
    List<StoredPoint> batch = new ArrayList<>();
    for (PointStruct p : request.getPointsList()) {
      float[] v = Vectors.dense(p.getVectors().getVector());
      if (v.length != c.size()) {
        out.onError(Answers.dimension(c.size(), v.length));
        return;
      }
      batch.add(new StoredPoint(p.getId(), v, p.getPayloadMap()));
    }
    batch.forEach(p -> c.points().put(key(p.id()), p));
    out.onNext(PointsOperationResponse.newBuilder()
        .setResult(UpdateResult.newBuilder().setOperationId(operation).setStatus(UpdateStatus.Completed))
        .setTime(0.001)
        .build());
    out.onCompleted();
  }

  @Override
  public void search(SearchPoints request, StreamObserver<SearchResponse> out) {
    searches.incrementAndGet();
    Store.Held c = Answers.collection(store, request.getCollectionName(), out);
    if (c == null) {
      return;
    }
    float[] query = Vectors.of(request.getVectorList());
    if (query.length != c.size()) {
      out.onError(Answers.dimension(c.size(), query.length));
      return;
    }
    for (Condition cond : request.getFilter().getMustList()) {
      if (!cond.hasField() || !cond.getField().getMatch().hasKeyword()) {
        out.onError(Answers.unimplemented("keyword match conditions"));
        return;
      }
    }
    boolean withPayload = request.getWithPayload().getEnable();
    List<ScoredPoint> hits = c.points().values().stream()
        .filter(p -> matches(p.payload(), request.getFilter()))
        .map(p -> scored(p, Vectors.cosine(query, p.vector()), withPayload))
        .sorted(Comparator.comparingDouble(ScoredPoint::getScore).reversed())
        .limit(request.getLimit())
        .toList();
    out.onNext(SearchResponse.newBuilder().addAllResult(hits).setTime(0.0005).build());
    out.onCompleted();
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

  private static ScoredPoint scored(StoredPoint p, double score, boolean withPayload) {
    ScoredPoint.Builder b = ScoredPoint.newBuilder().setId(p.id()).setScore((float) score).setVersion(1);
    if (withPayload) {
      b.putAllPayload(p.payload());
    }
    return b.build();
  }

  /** How {@link QdrantStandIn#points} keys a point: its UUID, or its number in decimal. */
  private static String key(PointId id) {
    return id.hasUuid() ? id.getUuid() : Long.toString(id.getNum());
  }
}
