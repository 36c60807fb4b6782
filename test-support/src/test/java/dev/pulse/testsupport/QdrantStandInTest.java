package dev.pulse.testsupport;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pulse.testsupport.QdrantStandIn.StoredCollection;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in itself, driven by the real Qdrant Java client, so that tests built on it mean something. */
class QdrantStandInTest {
  private static final String KEY = "k";

  private QdrantStandIn server;
  private QdrantClient client;

  @BeforeEach
  void start() throws Exception {
    server = new QdrantStandIn(KEY);
    client = client(KEY);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void ranksByCosineAndReturnsThePayloadOnRequest() throws Exception {
    create("c", 2);
    client.upsertAsync("c", List.of(point(1, "east", 1f, 0f), point(2, "north", 0f, 1f),
        point(3, "north-east", 0.7f, 0.7f))).get();

    List<ScoredPoint> hits = client.searchAsync(search("c", 0.1f, 1f).setLimit(2).setWithPayload(enable(true))
        .build()).get();
    assertThat(hits).extracting(h -> h.getPayloadMap().get("t").getStringValue())
        .containsExactly("north", "north-east");
    assertThat(hits.get(0).getScore()).isGreaterThan(hits.get(1).getScore());

    List<ScoredPoint> bare = client.searchAsync(search("c", 0.1f, 1f).setLimit(1).build()).get();
    assertThat(bare).singleElement().satisfies(h -> {
      assertThat(h.getId().getNum()).isEqualTo(2);
      assertThat(h.getPayloadMap()).isEmpty();
    });
    assertThat(server.searches()).isEqualTo(2);
  }

  @Test
  void mustKeywordConditionsFilterTheHits() throws Exception {
    create("c", 2);
    client.upsertAsync("c", List.of(point(1, "east", 1f, 0f), point(2, "north", 0f, 1f))).get();

    List<ScoredPoint> hits = client.searchAsync(search("c", 0f, 1f).setLimit(5)
        .setFilter(Filter.newBuilder().addMust(matchKeyword("t", "east"))).build()).get();
    assertThat(hits).extracting(h -> h.getId().getNum()).containsExactly(1L);
  }

  @Test
  void collectionsAreCreatedListedCheckedAndDeletedAsQdrantAnswers() throws Exception {
    create("b", 384);
    create("a", 2);
    assertThat(client.collectionExistsAsync("a").get()).isTrue();
    assertThat(client.collectionExistsAsync("missing").get()).isFalse();
    assertThat(client.listCollectionsAsync().get()).containsExactly("a", "b");
    assertThat(server.collections()).containsEntry("b", new StoredCollection(384, Distance.Cosine, 0));

    assertThat(code(client.createCollectionAsync("a", params(2)))).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(code(client.createCollectionAsync("zero", params(0)))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(message(client.getCollectionInfoAsync("missing")))
        .contains("Not found: Collection `missing` doesn't exist!");

    assertThat(client.deleteCollectionAsync("a").get().getResult()).isTrue();
    // Qdrant answers result=false, not an error status; the client turns that into its own exception.
    Throwable again = failure(client.deleteCollectionAsync("a"));
    assertThat(again).hasMessageContaining("Collection 'a' could not be deleted");
    assertThat(Status.fromThrowable(again).getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(server.collections()).containsOnlyKeys("b");
  }

  @Test
  void aSeededCollectionKeepsItsOwnShapeAndCount() throws Exception {
    server.seed("drifted", 768, Distance.Dot, 1200);

    CollectionInfo info = client.getCollectionInfoAsync("drifted").get();
    assertThat(info.getConfig().getParams().getVectorsConfig().getParams().getSize()).isEqualTo(768);
    assertThat(info.getConfig().getParams().getVectorsConfig().getParams().getDistance()).isEqualTo(Distance.Dot);
    assertThat(info.getPointsCount()).isEqualTo(1200);
    assertThat(code(client.createCollectionAsync("drifted", params(384))))
        .as("a create never replaces it").isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(server.collections().get("drifted")).isEqualTo(new StoredCollection(768, Distance.Dot, 1200));
  }

  @Test
  void theCollectionsViewIsLive() throws Exception {
    Map<String, StoredCollection> view = server.collections();
    assertThat(view).isEmpty();
    create("later", 2);
    client.upsertAsync("later", List.of(point(1, "x", 1f, 0f))).get();
    assertThat(view).containsEntry("later", new StoredCollection(2, Distance.Cosine, 1));
    client.deleteCollectionAsync("later").get();
    assertThat(view).isEmpty();
  }

  @Test
  void upsertKeepsPointsByIdAndRefusesAWholeBatchWithAWrongDimension() throws Exception {
    create("c", 2);
    String uuid = UUID.randomUUID().toString();
    client.upsertAsync("c", List.of(point(7, "first", 1f, 0f),
        PointStruct.newBuilder().setId(id(UUID.fromString(uuid))).setVectors(vectors(0f, 1f)).build())).get();
    client.upsertAsync("c", List.of(point(7, "again", 0f, 1f))).get();
    assertThat(server.points("c")).containsOnlyKeys("7", uuid);
    assertThat(server.points("c").get("7").vector()).containsExactly(0f, 1f);
    assertThat(server.points("c").get("7").payload().get("t").getStringValue()).isEqualTo("again");

    String refused = message(client.upsertAsync("c", List.of(point(8, "ok", 1f, 1f), point(9, "bad", 1f, 1f, 1f))));
    assertThat(refused).contains("INVALID_ARGUMENT").contains("Vector dimension error: expected dim: 2, got 3");
    assertThat(server.points("c")).as("nothing of the refused batch").doesNotContainKey("8");
    assertThat(code(client.searchAsync(search("c", 1f).setLimit(1).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(client.upsertAsync("missing", List.of(point(1, "x", 1f, 0f))))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(server.upserts()).as("every upsert that reached the service").isEqualTo(4);
  }

  @Test
  void aWrongOrMissingApiKeyIsRefusedAndCounted() throws Exception {
    try (QdrantClient keyless = client(null); QdrantClient wrong = client("not-" + KEY)) {
      assertThat(message(keyless.collectionExistsAsync("c"))).contains("UNAUTHENTICATED").contains("Invalid api-key");
      assertThat(code(wrong.upsertAsync("c", List.of(point(1, "x", 1f, 0f))))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    assertThat(server.calls()).isEqualTo(2);
    assertThat(server.upserts()).as("refused before the service").isZero();

    try (QdrantStandIn open = new QdrantStandIn(null);
        QdrantClient keyless = new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", open.port(), false, false)
            .build())) {
      assertThat(keyless.collectionExistsAsync("c").get()).as("no key configured, none needed").isFalse();
    }
  }

  @Test
  void whileFailingEveryCallIsUnavailableUntilSwitchedBack() throws Exception {
    create("c", 2);
    server.failing(true);
    assertThat(code(client.collectionExistsAsync("c"))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(client.upsertAsync("c", List.of(point(1, "x", 1f, 0f))))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(server.calls()).as("refused calls count too").isEqualTo(3);
    assertThat(server.upserts()).isZero();

    server.failing(false);
    assertThat(client.collectionExistsAsync("c").get()).isTrue();
    assertThat(server.collections()).as("state survives an outage").containsKey("c");
  }

  private QdrantClient client(String apiKey) {
    QdrantGrpcClient.Builder b = QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false, false);
    return new QdrantClient(apiKey == null ? b.build() : b.withApiKey(apiKey).build());
  }

  private void create(String name, int size) throws Exception {
    client.createCollectionAsync(name, params(size)).get();
  }

  private static VectorParams params(int size) {
    return VectorParams.newBuilder().setSize(size).setDistance(Distance.Cosine).build();
  }

  private static PointStruct point(long id, String tag, float... vector) {
    return PointStruct.newBuilder().setId(id(id)).setVectors(vectors(vector)).putPayload("t", value(tag)).build();
  }

  private static SearchPoints.Builder search(String collection, Float... vector) {
    return SearchPoints.newBuilder().setCollectionName(collection).addAllVector(List.of(vector));
  }

  /** The gRPC status code a call failed with (the client wraps it in an ExecutionException). */
  private static Status.Code code(Future<?> call) {
    return Status.fromThrowable(failure(call)).getCode();
  }

  private static String message(Future<?> call) {
    return failure(call).getMessage();
  }

  private static Throwable failure(Future<?> call) {
    Throwable t = catchThrowable(call::get);
    assertThat(t).as("the call failed").isNotNull();
    return t;
  }
}
