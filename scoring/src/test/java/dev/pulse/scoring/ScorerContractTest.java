package dev.pulse.scoring;

import dev.pulse.event.Label;

import dev.pulse.scoring.glossary.Glossary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.scoring.learned.Embedder;
import dev.pulse.scoring.learned.LightHeads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What the Spark job relies on: valid outputs, determinism, thread safety and serialisability. */
class ScorerContractTest {
  private static final List<String> POSTS = List.of(
      "I love my new phone!!", "worst customer service ever", "the store opens at 9", "not bad at all",
      "meh", "😂😂 this is hilarious", "NOT happy with the update", "it's ok I guess but the battery dies fast");

  @Test
  void scoresAreWellFormed() {
    for (String p : POSTS) {
      Score s = SentimentScorer.lexicon(Glossary.EMPTY).score(p);
      assertThat(s.score()).isBetween(-1.0, 1.0);
      assertThat(s.confidence()).isBetween(1.0 / 3, 1.0);
      assertThat(s.probabilities()).hasSize(3);
      assertThat(s.probabilities()[0] + s.probabilities()[1] + s.probabilities()[2]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(s.confidence()).isEqualTo(s.probabilities()[s.label().index()]);
    }
  }

  @Test
  void oddInputsScoreWithoutErrors() {
    SentimentScorer scorer = SentimentScorer.lexicon(Glossary.EMPTY);
    String longPost = "so good ".repeat(5000) + "❤❤❤❤❤❤❤❤❤❤";
    for (String p : List.of("", "   ", "@user http://t.co/x", "😍😍😍", "❤❤❤❤❤❤", "!!!???", "\\u00", "&amp;&", longPost)) {
      Score s = scorer.score(p);
      assertThat(s.confidence()).as(p).isBetween(0.0, 1.0);
      assertThat(s.score()).as(p).isBetween(-1.0, 1.0);
    }
    assertThat(scorer.score("").label()).isEqualTo(Label.NEUTRAL);
    assertThat(scorer.score(longPost).label()).isEqualTo(Label.POSITIVE);
  }

  @Test
  void obviousPostsGetTheirLabel() {
    SentimentScorer scorer = SentimentScorer.lexicon(Glossary.EMPTY);
    assertThat(scorer.score("I love my new phone!! best purchase ever").label()).isEqualTo(Label.POSITIVE);
    assertThat(scorer.score("worst customer service ever, I hate waiting").label()).isEqualTo(Label.NEGATIVE);
    assertThat(scorer.score("the store opens at 9 tomorrow").label()).isEqualTo(Label.NEUTRAL);
  }

  @Test
  void deterministicAcrossRunsAndThreads() throws Exception {
    SentimentScorer scorer = SentimentScorer.lexicon(Glossary.EMPTY);
    List<Score> first = scorer.scoreAll(POSTS);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Score>>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) runs.add(pool.submit(() -> SentimentScorer.lexicon(Glossary.EMPTY).scoreAll(POSTS)));
      for (Future<List<Score>> run : runs) assertSame(first, run.get());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void survivesJavaSerialisation() throws Exception {
    Glossary g = new Glossary(List.of(new Glossary.Term("update", -0.5)), List.of("outage"));
    SentimentScorer scorer = SentimentScorer.lexicon(g);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(scorer);
    }
    SentimentScorer copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (SentimentScorer) in.readObject();
    }
    assertSame(scorer.scoreAll(POSTS), copy.scoreAll(POSTS));
    assertThat(copy.score("big outage today").crisis()).isTrue();
  }

  /**
   * Embedding-like vectors (unit sentence vectors, token-state-sized pooled vectors for the shipped attention), so
   * the full scorer's heads run without loading the ONNX model.
   */
  private static List<Embedder.PostVectors> fakeEmbeddings(int n) {
    java.util.Random rnd = new java.util.Random(11);
    List<Embedder.PostVectors> out = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      float[] row = new float[Embedder.DIMENSION];
      double norm = 0;
      for (int i = 0; i < row.length; i++) norm += (row[i] = (float) rnd.nextGaussian()) * row[i];
      for (int i = 0; i < row.length; i++) row[i] /= (float) Math.sqrt(norm);
      float[] attended = new float[LightHeads.shipped().pooling().dimension()];
      for (int i = 0; i < attended.length; i++) attended[i] = (float) (0.3 * rnd.nextGaussian());
      double[] tuned = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      out.add(new Embedder.PostVectors(row, attended, tuned));
    }
    return out;
  }

  @Test
  void fullScorerHeadsAreDeterministicAcrossThreadsAndSerialisation() throws Exception {
    List<Embedder.PostVectors> emb = fakeEmbeddings(POSTS.size());
    LightScorer scorer = new LightScorer(Glossary.EMPTY);
    List<Score> first = scorer.scoreEncoded(POSTS, emb);
    for (Score s : first) {
      assertThat(s.score()).isBetween(-1.0, 1.0);
      assertThat(s.confidence()).isBetween(1.0 / 3, 1.0);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Score>>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) runs.add(pool.submit(() -> new LightScorer(Glossary.EMPTY).scoreEncoded(POSTS, emb)));
      for (Future<List<Score>> run : runs) assertSame(first, run.get());
    } finally {
      pool.shutdown();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(scorer);
    }
    // the shipped heads (~2 MB in memory) and n-gram weights (~2 MB) travel as their resource names
    assertThat(bytes.size()).as("serialised full scorer").isLessThan(256 << 10);
    LightScorer copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (LightScorer) in.readObject();
    }
    assertSame(first, copy.scoreEncoded(POSTS, emb));
  }

  @Test
  void nGramsMoveTheFullScorer() {
    // same embedding, different words: only the n-gram half (and the lexicon features) can tell them apart
    List<Embedder.PostVectors> emb = fakeEmbeddings(1);
    LightScorer scorer = new LightScorer(Glossary.EMPTY);
    double love = scorer.scoreEncoded(List.of("love love love it, best ever"), emb).get(0).score();
    double hate = scorer.scoreEncoded(List.of("hate hate hate it, worst ever"), emb).get(0).score();
    assertThat(love).isGreaterThan(hate);
  }

  @Test
  void theFineTunedEncoderMovesTheFullScorerAndNotTheFastOne() {
    Embedder.PostVectors v = fakeEmbeddings(1).get(0);
    List<Embedder.PostVectors> positive = List.of(new Embedder.PostVectors(v.embedding(), v.attended(), new double[] {-3, 0, 3}));
    List<Embedder.PostVectors> negative = List.of(new Embedder.PostVectors(v.embedding(), v.attended(), new double[] {3, 0, -3}));
    List<String> text = List.of("the new update is out");
    LightScorer full = new LightScorer(Glossary.EMPTY);
    assertThat(full.tuned()).isTrue();
    assertThat(full.scoreEncoded(text, positive).get(0).score())
        .isGreaterThan(full.scoreEncoded(text, negative).get(0).score() + 0.2);
    LightScorer fast = LightScorer.fast(Glossary.EMPTY);
    assertThat(fast.tuned()).isFalse();
    assertThat(fast.scoreEncoded(text, positive).get(0).score()).isEqualTo(fast.scoreEncoded(text, negative).get(0).score());
  }

  @Test
  void theFullScorerRefusesVectorsWithoutTheFineTunedPass() {
    Embedder.PostVectors v = fakeEmbeddings(1).get(0);
    List<Embedder.PostVectors> withoutTuned = List.of(new Embedder.PostVectors(v.embedding(), v.attended()));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new LightScorer(Glossary.EMPTY).scoreEncoded(List.of("ok"), withoutTuned))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LightScorer.encode");
  }

  private static void assertSame(List<Score> a, List<Score> b) {
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).label()).isEqualTo(a.get(i).label());
      assertThat(b.get(i).score()).isEqualTo(a.get(i).score());
      assertThat(b.get(i).confidence()).isEqualTo(a.get(i).confidence());
    }
  }
}
