package dev.pulse.dashboard.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.event.PointIds;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.ValueFactory;
import io.qdrant.client.grpc.Points.RecommendPoints;
import io.qdrant.client.grpc.Points.RecommendResponse;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.PointsGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Qdrant store against a stand-in of Qdrant's gRPC Points service (same protocol and messages as the real
 * server, from the official client's generated stubs): the request names the post's UUID v5 point, the answer's
 * post_id payloads become matches, a missing point is "not there yet", an error is reported.
 */
class QdrantVectorStoreTest {
  private final AtomicReference<RecommendPoints> lastRequest = new AtomicReference<>();
  private Server server;
  private QdrantVectorStore store;

  @BeforeEach
  void start() throws Exception {
    server = ServerBuilder.forPort(0).addService(new PointsGrpc.PointsImplBase() {
      @Override
      public void recommend(RecommendPoints request, StreamObserver<RecommendResponse> answer) {
        lastRequest.set(request);
        String wanted = request.getPositive(0).getUuid();
        if (wanted.equals(PointIds.of("x:missing").toString())) {
          answer.onError(Status.NOT_FOUND.withDescription("No point with id " + wanted + " found").asRuntimeException());
        } else if (wanted.equals(PointIds.of("x:broken").toString())) {
          answer.onError(Status.UNAVAILABLE.withDescription("collection is being rebuilt").asRuntimeException());
        } else {
          answer.onNext(RecommendResponse.newBuilder()
              .addResult(point("x:2", 0.93f)).addResult(point("x:3", 0.71f)).setTime(0.002).build());
          answer.onCompleted();
        }
      }
    }).build().start();
    // Generous: nothing here waits for the deadline, and a loaded CI machine can take seconds for the first call.
    store = new QdrantVectorStore("localhost", server.getPort(), false, null, "acme-posts", Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() {
    store.close();
    server.shutdownNow();
  }

  @Test
  void asksForThePostsPointAndMapsThePayloadBackToPostIds() {
    var matches = store.similarTo("x:1", 2).orElseThrow();
    assertThat(matches).containsExactly(new VectorStore.Match("x:2", 0.93f), new VectorStore.Match("x:3", 0.71f));
    RecommendPoints sent = lastRequest.get();
    assertThat(sent.getCollectionName()).isEqualTo("acme-posts");
    assertThat(sent.getPositive(0).getUuid()).isEqualTo(PointIds.of("x:1").toString());
    assertThat(sent.getLimit()).isEqualTo(2);
    assertThat(sent.getWithPayload().getInclude().getFieldsList()).containsExactly("post_id");
  }

  @Test
  void aPostWithoutAPointIsNotThereYetAndAnOutageIsReported() {
    assertThat(store.similarTo("x:missing", 3)).isEmpty();
    assertThatThrownBy(() -> store.similarTo("x:broken", 3)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("collection is being rebuilt");
  }

  private static ScoredPoint point(String postId, float score) {
    return ScoredPoint.newBuilder().setId(PointIdFactory.id(PointIds.of(postId))).setScore(score)
        .putPayload("post_id", ValueFactory.value(postId)).build();
  }
}
