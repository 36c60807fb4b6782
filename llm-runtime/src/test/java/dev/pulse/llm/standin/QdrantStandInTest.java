package dev.pulse.llm.standin;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stand-in itself, driven by the real Qdrant Java client, so that tests built on it mean something. */
class QdrantStandInTest {

  @Test
  void ranksByCosineAndChecksTheApiKey() throws Exception {
    try (QdrantStandIn server = new QdrantStandIn("k");
        QdrantClient client = new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false, false).withApiKey("k").build());
        QdrantClient keyless = new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false, false).build())) {
      client.createCollectionAsync("c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine).build()).get();
      assertThat(client.collectionExistsAsync("c").get()).isTrue();
      assertThat(client.collectionExistsAsync("missing").get()).isFalse();
      client.upsertAsync("c", List.of(
          PointStruct.newBuilder().setId(id(1)).setVectors(vectors(1f, 0f)).putPayload("t", value("east")).build(),
          PointStruct.newBuilder().setId(id(2)).setVectors(vectors(0f, 1f)).putPayload("t", value("north")).build(),
          PointStruct.newBuilder().setId(id(3)).setVectors(vectors(0.7f, 0.7f)).putPayload("t", value("north-east")).build())).get();

      List<ScoredPoint> hits = client.searchAsync(SearchPoints.newBuilder().setCollectionName("c")
          .addAllVector(List.of(0.1f, 1f)).setLimit(2).setWithPayload(enable(true)).build()).get();
      assertThat(hits).extracting(h -> h.getPayloadMap().get("t").getStringValue()).containsExactly("north", "north-east");
      assertThat(hits.get(0).getScore()).isGreaterThan(hits.get(1).getScore());

      assertThatThrownBy(() -> keyless.collectionExistsAsync("c").get()).hasMessageContaining("UNAUTHENTICATED");
      assertThatThrownBy(() -> client.searchAsync(SearchPoints.newBuilder().setCollectionName("c").addAllVector(List.of(1f)).setLimit(1).build()).get())
          .hasMessageContaining("dimension");
    }
  }
}
