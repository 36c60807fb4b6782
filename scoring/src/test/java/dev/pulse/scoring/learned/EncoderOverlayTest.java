package dev.pulse.scoring.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The fine-tuned encoder's overlay: its format, how it patches, and the shipped one on LangChain4j's real model. */
class EncoderOverlayTest {

  /** An overlay in finetune.py's format for {@code base}: one ADD and one REPLACE patch, and a head. */
  private static byte[] overlay(byte[] base, int version) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(bytes))) {
      o.writeInt(EncoderOverlay.MAGIC);
      o.writeInt(version);
      o.writeUTF("all-minilm-l6-v2-q.onnx");
      o.write(EncoderOverlay.sha256(base));
      o.writeLong(base.length);
      o.writeInt(3);
      o.writeInt(Embedder.DIMENSION);
      for (int c = 0; c < 3; c++) for (int j = 0; j < Embedder.DIMENSION; j++) o.writeFloat(j == 0 ? c + 1 : 0);
      for (int c = 0; c < 3; c++) o.writeFloat(-c);
      o.writeInt(2);
      o.writeLong(1);
      o.writeByte(EncoderOverlay.ADD);
      o.writeInt(2);
      o.write(new byte[] {1, -2});
      o.writeLong(4);
      o.writeByte(EncoderOverlay.REPLACE);
      o.writeInt(2);
      o.write(new byte[] {42, 43});
    }
    return bytes.toByteArray();
  }

  @Test
  void addsStepsModulo256AndReplacesBytes() throws IOException {
    byte[] base = {10, 127, 0, 5, 6, 7};
    EncoderOverlay o = EncoderOverlay.read(new ByteArrayInputStream(overlay(base, 1)));
    assertThat(o.tensors()).isEqualTo(2);
    // 127 + 1 wraps to -128: as an uint8 value, 127 -> 128, what a uint8 tensor moved one step up must read.
    assertThat(o.apply(base)).containsExactly(10, -128, -2, 5, 42, 43);
    assertThat(base).containsExactly(10, 127, 0, 5, 6, 7);
  }

  @Test
  void theHeadReadsTheMeanOfTheTokenStates() throws IOException {
    EncoderOverlay o = EncoderOverlay.read(new ByteArrayInputStream(overlay(new byte[8], 1)));
    float[][] states = new float[2][Embedder.DIMENSION];
    states[0][0] = 1;
    states[1][0] = 3; // mean 2
    assertThat(o.head().logits(states)).containsExactly(2, 4 - 1, 6 - 2);
  }

  @Test
  void anotherBaseFileIsRefusedWithItsChecksums() throws IOException {
    EncoderOverlay o = EncoderOverlay.read(new ByteArrayInputStream(overlay(new byte[] {1, 2, 3, 4, 5, 6}, 1)));
    assertThatThrownBy(() -> o.apply(new byte[] {1, 2, 3, 4, 5, 9}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("all-minilm-l6-v2-q.onnx")
        .hasMessageContaining("SHA-256")
        .hasMessageContaining("fast tier");
  }

  @Test
  void anotherVersionIsRefused() throws IOException {
    byte[] file = overlay(new byte[8], 2);
    assertThatThrownBy(() -> EncoderOverlay.read(new ByteArrayInputStream(file)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
  }

  @Test
  void theShippedOverlayFitsLangChain4jsModelAndChangesWhatItComputes() throws IOException {
    EncoderOverlay shipped = EncoderOverlay.shipped();
    byte[] base;
    try (InputStream in = Embedder.class.getResourceAsStream("/" + shipped.baseName())) {
      base = in.readAllBytes();
    }
    byte[] patched = shipped.apply(base);
    int changed = 0;
    for (int i = 0; i < base.length; i++) if (patched[i] != base[i]) changed++;
    // Weights in every layer move (about a third of the int8 values); most of the file (word embeddings, graph) stays.
    assertThat(changed).isBetween(base.length / 10, base.length / 2);

    String text = "worst customer service ever, still waiting";
    Embedder.PostVectors v = Embedder.create(new EmbeddingSettings("int8", 256, 0)).encodeTuned(List.of(text)).get(0);
    assertThat(v.tuned()).hasSize(3);
    // The fine-tuned pass says negative with a clear margin, and the sentence vector Qdrant gets is the unpatched one.
    assertThat(v.tuned()[0]).isGreaterThan(v.tuned()[2] + 1);
    float[] plain = Embedder.create(new EmbeddingSettings("int8", 256, 0)).embed(List.of(text))[0];
    assertThat(v.embedding()).containsExactly(plain);
  }

  @Test
  void theTunedPassReusesMiniLmsWordPiecesOnlyBecauseItsTokenizerSplitsAlike() {
    MiniLmEncoder miniLm = new MiniLmEncoder(true);
    MiniLmEncoder tuned = new MiniLmEncoder(EncoderOverlay.shipped());
    assertThat(tuned.readsTheSameWordPieces(miniLm)).isTrue();
    for (String text : List.of("soooo happppy!!! 😍 #blessed @user http", "Ünïcödé naïve café — can't stop",
        "worst customer service ever, still waiting")) {
      assertThat(tuned.encode(text).getIds()).containsExactly(miniLm.encode(text).getIds());
    }
  }
}
