package dev.pulse.operator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testsupport.QdrantStandIn;
import dev.pulse.testsupport.QdrantStandIn.StoredCollection;
import io.qdrant.client.grpc.Collections.Distance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Qdrant Java client against the gRPC stand-in. */
class QdrantCollectionsTest {

  private static final QdrantCollections.Shape SHAPE = new QdrantCollections.Shape(384, Distance.Cosine);
  private QdrantStandIn qdrant;
  private QdrantEndpoint endpoint;
  private final QdrantCollections collections = new QdrantCollections();

  @BeforeEach
  void start() throws Exception {
    qdrant = new QdrantStandIn("s3cret-key");
    endpoint = new QdrantEndpoint("127.0.0.1", qdrant.port(), false, "s3cret-key");
  }

  @AfterEach
  void stop() {
    qdrant.close();
  }

  @Test
  void createsAMissingCollectionOnceThenFindsItReady() {
    CollectionCheck first = collections.ensure(endpoint, "acme_posts", SHAPE);
    assertThat(first.reason()).isEqualTo(CollectionCheck.CREATED);
    assertThat(qdrant.collections()).containsEntry("acme_posts", new StoredCollection(384, Distance.Cosine, 0));
    qdrant.seed("acme_posts", 384, Distance.Cosine, 42);
    CollectionCheck second = collections.ensure(endpoint, "acme_posts", SHAPE);
    assertThat(second.reason()).isEqualTo(CollectionCheck.READY);
    assertThat(((CollectionCheck.Ready) second).points()).isEqualTo(42);
  }

  @Test
  void reportsDriftAndNeverRecreates() {
    qdrant.seed("acme_posts", 768, Distance.Dot, 1000);
    CollectionCheck check = collections.ensure(endpoint, "acme_posts", SHAPE);
    assertThat(check.reason()).isEqualTo(CollectionCheck.DRIFT);
    assertThat(check.message()).contains("vector size is 768, spec says 384").contains("distance is Dot, spec says Cosine");
    assertThat(qdrant.collections().get("acme_posts").points()).as("data kept").isEqualTo(1000);
  }

  @Test
  void wrongKeyAndDownServerAreReportedWithoutTheKey() {
    CollectionCheck denied = collections.ensure(new QdrantEndpoint("127.0.0.1", qdrant.port(), false, "wrong"),
        "acme_posts", SHAPE);
    assertThat(denied.reason()).isEqualTo(CollectionCheck.UNAUTHORIZED);
    assertThat(denied.message()).doesNotContain("wrong");
    qdrant.failing(true);
    CollectionCheck down = collections.ensure(endpoint, "acme_posts", SHAPE);
    assertThat(down.reason()).isEqualTo(CollectionCheck.UNREACHABLE);
    assertThat(down.message()).doesNotContain("s3cret-key");
  }

  @Test
  void deletesAndToleratesAMissingCollection() {
    qdrant.seed("acme_posts", 384, Distance.Cosine, 5);
    assertThat(collections.delete(endpoint, "acme_posts").ok()).isTrue();
    assertThat(qdrant.collections()).doesNotContainKey("acme_posts");
    assertThat(collections.delete(endpoint, "acme_posts").ok()).isTrue();
  }
}
