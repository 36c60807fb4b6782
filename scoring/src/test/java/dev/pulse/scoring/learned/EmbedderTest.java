package dev.pulse.scoring.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedding settings on the real ONNX models: token limit, cache of repeated texts, int8 against fp32. */
class EmbedderTest {
  private static final String TWEET = "the new phone is great, battery lasts all day";

  @Test
  void aLongTextIsCutAtMaxTokensAndAShortOneIsLeftAlone() {
    Embedder e = Embedder.create(new EmbeddingSettings("int8", 16, 0));
    String longText = "outage again today and support never answers " .repeat(40);
    assertThat(e.truncate(TWEET)).isEqualTo(TWEET);
    String cut = e.truncate(longText);
    // 14 word pieces: "outage" is two of them ("out", "##age").
    assertThat(cut).isEqualTo("outage again today and support never answers outage again today and support");
    assertThat(e.truncatedTexts()).isEqualTo(1);
    float[][] v = e.embed(List.of(longText, cut));
    assertThat(v[0]).containsExactly(v[1]);
  }

  @Test
  void aRepeatedTextComesFromTheCache() {
    Embedder cached = Embedder.create(new EmbeddingSettings("int8", 256, 100));
    float[] first = cached.embed(List.of(TWEET))[0];
    float[] again = cached.embed(List.of("other words entirely", TWEET))[1];
    assertThat(cached.cacheHits()).isEqualTo(1);
    assertThat(cached.cacheMisses()).isEqualTo(2);
    assertThat(again).containsExactly(first);

    Embedder uncached = Embedder.create(new EmbeddingSettings("int8", 256, 0));
    uncached.embed(List.of(TWEET, TWEET));
    assertThat(uncached.cacheHits()).isZero();
  }

  @Test
  void aTextEmbeddedForTheVectorStoreIsPooledWhenTheScorerAsksForIt() {
    Embedder cached = Embedder.create(new EmbeddingSettings("int8", 256, 100));
    float[] vector = cached.embed(List.of(TWEET))[0];
    Embedder.PostVectors scored = cached.encode(List.of(TWEET)).get(0);
    assertThat(cached.cacheMisses()).as("the unpooled entry does not serve the scorer").isEqualTo(2);
    Embedder.PostVectors fresh = Embedder.create(new EmbeddingSettings("int8", 256, 0)).encode(List.of(TWEET)).get(0);
    assertThat(scored.attended()).containsExactly(fresh.attended());
    assertThat(scored.embedding()).containsExactly(vector);
    // Now pooled, the entry serves both, and embed does not downgrade it.
    cached.embed(List.of(TWEET));
    assertThat(cached.encode(List.of(TWEET)).get(0).attended()).containsExactly(fresh.attended());
    assertThat(cached.cacheHits()).isEqualTo(2);
  }

  @Test
  void theFineTunedPassIsCachedAboveThePooledOne() {
    Embedder cached = Embedder.create(new EmbeddingSettings("int8", 256, 100));
    Embedder.PostVectors pooled = cached.encode(List.of(TWEET)).get(0);
    assertThat(pooled.tuned()).isNull();
    Embedder.PostVectors tuned = cached.encodeTuned(List.of(TWEET)).get(0);
    assertThat(cached.cacheMisses()).as("a pooled entry lacks the fine-tuned logits").isEqualTo(2);
    assertThat(tuned.tuned()).hasSize(3);
    assertThat(tuned.attended()).containsExactly(pooled.attended());
    assertThat(tuned.embedding()).containsExactly(pooled.embedding());
    // The fuller entry now serves every caller, and the lesser calls do not replace it.
    cached.embed(List.of(TWEET));
    cached.encode(List.of(TWEET));
    assertThat(cached.encodeTuned(List.of(TWEET)).get(0).tuned()).containsExactly(tuned.tuned());
    assertThat(cached.cacheHits()).isEqualTo(3);
    assertThat(cached.cacheMisses()).isEqualTo(2);
  }

  @Test
  void fp32AndInt8GiveCloseButDifferentVectors() {
    float[] q = Embedder.create(new EmbeddingSettings("int8", 256, 0)).embed(List.of(TWEET))[0];
    float[] f = Embedder.create(new EmbeddingSettings("fp32", 256, 0)).embed(List.of(TWEET))[0];
    assertThat(f).hasSize(Embedder.DIMENSION);
    double dot = 0;
    for (int i = 0; i < q.length; i++) dot += q[i] * f[i];
    assertThat(dot).as("cosine of unit vectors").isBetween(0.9, 0.9999);
  }

  @Test
  void sentenceVectorsAreLangChain4jsForTheSameText() {
    // The vectors Qdrant stores must not change with our own ONNX Runtime call: LangChain4j's model on the same
    // (normalised) texts, mean pooling and all.
    var reference = new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel();
    List<String> texts = List.of(TWEET, "Ça va? Très bien 😍😍 #blessed", "WORST. SERVICE. EVER!!! 😡",
        "i can't believe it's not butter", "outage again today and support never answers ".repeat(10), "ok");
    Embedder e = Embedder.create(new EmbeddingSettings("int8", 256, 0), null);
    float[][] ours = e.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] theirs = reference.embed(texts.get(i)).content().vector();
      assertThat(ours[i]).as(texts.get(i)).containsExactly(theirs, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void attentionPoolsTheSameForwardPass() {
    // A query of zeros weighs every word piece alike: its pooling is the plain mean, the sentence vector before
    // its scaling to unit length.
    TokenAttention uniform = new TokenAttention(new double[1][Embedder.DIMENSION]);
    Embedder.PostVectors v = Embedder.create(new EmbeddingSettings("int8", 256, 0), new TokenPooling(List.of(uniform))).encode(List.of(TWEET)).get(0);
    double norm = 0;
    for (float x : v.attended()) norm += x * x;
    for (int j = 0; j < Embedder.DIMENSION; j++) {
      assertThat(v.attended()[j] / Math.sqrt(norm)).isCloseTo(v.embedding()[j], org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> new EmbeddingSettings("fp16", 256, 0)).hasMessage("embedding model must be int8 or fp32: 'fp16'");
    assertThatThrownBy(() -> new EmbeddingSettings("int8", 4, 0)).hasMessageContaining("maxTokens");
    assertThatThrownBy(() -> new EmbeddingSettings("int8", 256, -1)).hasMessageContaining("cacheSize");
  }
}
