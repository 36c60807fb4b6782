package dev.pulse.stream;

import dev.pulse.event.PointIds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Engagement;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.event.ScoredBy;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.testsupport.QdrantStandIn;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedding + vector-store path: the full light scorer's MiniLM vectors are the ones upserted (computed once),
 * through Qdrant's real Java client to a gRPC stand-in of Qdrant, with deterministic point ids and the payload the
 * LLM gateway reads.
 */
class VectorPathTest {
  private static final Instant T = Instant.parse("2026-11-24T22:00:00Z");
  private static final String KEY = "test-api-key";
  private QdrantStandIn qdrant;

  @BeforeEach
  void start() throws Exception {
    qdrant = new QdrantStandIn(KEY);
    try (QdrantClient admin = new QdrantClient(
        QdrantGrpcClient.newBuilder("127.0.0.1", qdrant.port(), false, false).withApiKey(KEY).build())) {
      admin.createCollectionAsync("acme-posts",
          VectorParams.newBuilder().setSize(Embedder.DIMENSION).setDistance(Distance.Cosine).build()).get();
    }
  }

  @AfterEach
  void stop() {
    qdrant.close();
  }

  private static Post post(int i, String text) {
    return Post.of("x:" + i, Source.X, "acme-x", "h", text, "en", T.plusSeconds(i), T.plusSeconds(i + 1), null, null,
        Engagement.NONE);
  }

  private QdrantVectorSink sink(int batchSize) {
    return new QdrantVectorSink("127.0.0.1", qdrant.port(), false, "acme-posts", Duration.ofSeconds(5), batchSize,
        KEY);
  }

  @Test
  void pointIdsAreNameBasedUuidV5() {
    // Values from Python's uuid.uuid5, the reference implementation of RFC 4122 at hand.
    assertThat(PointIds.NAMESPACE).isEqualTo(UUID.fromString("00762334-f712-5d14-8ec2-ee135f7d77f2"));
    assertThat(PointIds.of("x:1850")).isEqualTo(UUID.fromString("f1ee759e-5771-5731-b408-79b403080792"));
    assertThat(PointIds.of("x:1850").version()).isEqualTo(5);
  }

  @Test
  void theScorersVectorsAreUpsertedOnceWithIdsAndPayload() throws Exception {
    Glossary glossary = new Glossary(List.of(), List.of("recall"));
    List<Post> posts = List.of(post(1, "I love this phone 😍"), post(2, "terrible service, awful"),
        post(3, "the store opens at nine"), post(4, "acme recall announced"), post(5, "not bad at all"));
    LightPostScorer scorer = new LightPostScorer(SentimentScorer.full(glossary));
    QdrantVectorSink sink = sink(2);
    PostProcessor processor = new PostProcessor("acme", scorer, null, sink);

    List<ScoredPost> out = processor.process(posts, T);
    assertThat(sink.writer().awaitIdle(Duration.ofSeconds(30))).as("the background upserts are done").isTrue();

    // Scores equal the full scorer's on its own embeddings: the reused vectors are the learned tier's input.
    List<Score> reference = SentimentScorer.full(glossary).scoreAll(posts.stream().map(Post::text).toList());
    float[][] vectors = Embedder.shared().embed(posts.stream().map(Post::text).toList());
    assertThat(out).extracting(ScoredPost::score).containsExactlyElementsOf(
        reference.stream().map(Score::score).toList());
    // In the background, what queued meanwhile goes in one request of at most 2 points.
    assertThat(qdrant.upserts()).as("batches of at most 2 points").isBetween(3, 5);
    var points = qdrant.points("acme-posts");
    assertThat(points).hasSize(5);
    for (int i = 0; i < posts.size(); i++) {
      ScoredPost s = out.get(i);
      QdrantStandIn.StoredPoint p = points.get(PointIds.of(s.post().id()).toString());
      assertThat(p).as("point of %s", s.post().id()).isNotNull();
      assertThat(p.vector()).containsExactly(vectors[i]);
      assertThat(p.payload().get("pipeline").getStringValue()).isEqualTo("acme");
      assertThat(p.payload().get("kind").getStringValue()).isEqualTo("post");
      assertThat(p.payload().get("post_id").getStringValue()).isEqualTo(s.post().id());
      assertThat(p.payload().get("text").getStringValue()).isEqualTo(s.post().text());
      assertThat(p.payload().get("label").getStringValue()).isEqualTo(s.label().name().toLowerCase());
      assertThat(p.payload().get("score").getDoubleValue()).isEqualTo(s.score());
      assertThat(p.payload().get("source").getStringValue()).isEqualTo("X");
      assertThat(p.payload().get("created_at").getStringValue()).isEqualTo(s.post().createdAt().toString());
    }

    // A replay of the same posts overwrites the same points.
    processor.process(posts, T.plusSeconds(60));
    assertThat(sink.writer().awaitIdle(Duration.ofSeconds(30))).isTrue();
    assertThat(qdrant.points("acme-posts")).hasSize(5);
  }

  @Test
  void theLabelStoredIsTheLlmsAfterEscalation() throws Exception {
    try (GatewayStandIn gateway = new GatewayStandIn()) {
      LightPostScorer scorer = new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), true);
      QdrantVectorSink sink = sink(64);
      PostProcessor processor = new PostProcessor("acme", scorer,
          new LlmEscalator(gateway.url(), "acme", 1.0, Duration.ofSeconds(5), 256), sink);
      List<ScoredPost> out = processor.process(List.of(post(7, "the outage is fine I guess")), T);
      assertThat(sink.writer().awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(out.get(0).tier()).isEqualTo(ScoredBy.LLM);
      var stored = qdrant.points("acme-posts").get(PointIds.of("x:7").toString());
      assertThat(stored.payload().get("label").getStringValue()).isEqualTo("negative");
      assertThat(stored.payload().get("tier").getStringValue()).isEqualTo("LLM");
    }
  }

  @Test
  void aQdrantOutageLosesNoPost() throws Exception {
    qdrant.failing(true);
    LightPostScorer scorer = new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), true);
    QdrantVectorSink sink = sink(64);
    PostProcessor processor = new PostProcessor("acme", scorer, null, sink);
    List<ScoredPost> out = processor.process(List.of(post(1, "fine"), post(2, "great")), T);
    assertThat(out).extracting(s -> s.post().id()).containsExactly("x:1", "x:2");
    assertThat(sink.writer().awaitIdle(Duration.ofSeconds(30))).isTrue();
    assertThat(qdrant.upserts()).as("the stand-in refused before counting").isZero();
  }

  @Test
  void withoutASinkOrAnEmbeddingScorerNothingIsEmbedded() {
    LightPostScorer lexicon = new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), false);
    assertThat(lexicon.scoreBatch(List.of(post(1, "fine")), T).vectors()).isNull();
    InMemoryVectorSink memory = new InMemoryVectorSink("vector-path-test");
    new PostProcessor("acme", new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), true), null, memory)
        .process(List.of(post(1, "fine")), T);
    assertThat(InMemoryVectorSink.points("vector-path-test")).containsKey(PointIds.of("x:1"));
  }
}
