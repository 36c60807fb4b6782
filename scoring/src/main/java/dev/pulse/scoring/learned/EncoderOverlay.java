package dev.pulse.scoring.learned;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An encoder fine-tuned for sentiment, stored as the changes to one of LangChain4j's int8 ONNX files (the file is
 * named in the overlay: e5-small-v2's for the shipped one) that make it the fine-tuned model (written by
 * {@code scoring-training/encoder-tuning/finetune.py}), plus the linear head over its mean-pooled token states. Each change is addressed by byte offset in that exact file, so the file's SHA-256 is
 * checked before anything is patched: another LangChain4j version gets a clear error instead of a broken model.
 *
 * <p>Format (gzip, big-endian): magic "PUEO", version, base file name, its SHA-256 and length, the head (classes,
 * dimension, weights row by row, biases), then tensors as (offset, kind, length, bytes): kind 0 adds each byte to the
 * base byte mod 256 (an int8 or uint8 weight moved by a few quantisation steps), kind 1 replaces the bytes (fp32
 * biases and LayerNorm parameters).
 */
public final class EncoderOverlay {
  static final int MAGIC = 0x5055454F; // "PUEO"
  static final int VERSION = 1;
  static final byte ADD = 0;
  static final byte REPLACE = 1;

  /** A change to the base file. */
  record Patch(long offset, byte kind, byte[] bytes) {}

  private final String baseName;
  private final byte[] baseSha256;
  private final long baseLength;
  private final TunedHead head;
  private final List<Patch> patches;

  EncoderOverlay(String baseName, byte[] baseSha256, long baseLength, float[][] headWeights, float[] headBias,
      List<Patch> patches) {
    this.baseName = baseName;
    this.baseSha256 = baseSha256.clone();
    this.baseLength = baseLength;
    this.head = new TunedHead(headWeights, headBias);
    this.patches = List.copyOf(patches);
  }

  /** The classpath resource ./pulse train-scorer --encoder writes. */
  public static final String SHIPPED = "/scoring/tuned-encoder.overlay";

  /**
   * The shipped overlay, read afresh on each call (~0.1 s): its tens of MB of patch bytes are needed only while the
   * patched model is built, so nothing holds on to them ({@link Embedder} keeps the model and the {@link #head}).
   */
  public static EncoderOverlay shipped() {
    return fromResource(SHIPPED);
  }

  static EncoderOverlay fromResource(String resource) {
    return ShippedResource.load(resource, "./pulse train-scorer --encoder", EncoderOverlay::read);
  }

  public static EncoderOverlay read(InputStream in) {
    try {
      DataInputStream i = new DataInputStream(new BufferedInputStream(new GZIPInputStream(in)));
      if (i.readInt() != MAGIC) throw new IllegalArgumentException("not an encoder overlay");
      int version = i.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException("encoder overlay of version " + version + ", this build reads " + VERSION);
      }
      String name = i.readUTF();
      byte[] sha = i.readNBytes(32);
      long length = i.readLong();
      int classes = i.readInt(), dim = i.readInt();
      if (classes != SoftmaxHead.CLASSES || dim != Embedder.DIMENSION) {
        throw new IllegalArgumentException("encoder overlay head is " + classes + "x" + dim + ", expected "
            + SoftmaxHead.CLASSES + "x" + Embedder.DIMENSION);
      }
      float[][] w = new float[classes][dim];
      for (float[] row : w) for (int j = 0; j < dim; j++) row[j] = i.readFloat();
      float[] b = new float[classes];
      for (int c = 0; c < classes; c++) b[c] = i.readFloat();
      int n = i.readInt();
      List<Patch> patches = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        long offset = i.readLong();
        byte kind = i.readByte();
        int len = i.readInt();
        if (kind != ADD && kind != REPLACE) throw new IllegalArgumentException("encoder overlay patch of kind " + kind);
        if (offset < 0 || len < 0 || offset + len > length) {
          throw new IllegalArgumentException("encoder overlay patch outside the base file: " + offset + "+" + len);
        }
        byte[] bytes = i.readNBytes(len);
        if (bytes.length != len) throw new IllegalArgumentException("encoder overlay is truncated");
        patches.add(new Patch(offset, kind, bytes));
      }
      return new EncoderOverlay(name, sha, length, w, b, patches);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file this overlay patches, by name (LangChain4j's resource name). */
  public String baseName() {
    return baseName;
  }

  public int tensors() {
    return patches.size();
  }

  /** A patched copy of {@code base}, which must be the exact file the overlay was written for. */
  public byte[] apply(byte[] base) {
    byte[] sha = sha256(base);
    if (base.length != baseLength || !MessageDigest.isEqual(sha, baseSha256)) {
      throw new IllegalStateException("the tuned-encoder overlay was written for " + baseName + " with SHA-256 "
          + HexFormat.of().formatHex(baseSha256) + " (" + baseLength + " bytes), but the classpath has one with "
          + HexFormat.of().formatHex(sha) + " (" + base.length + " bytes): another langchain4j-embeddings version? "
          + "Re-run ./pulse train-scorer --encoder, or score with the fast tier");
    }
    byte[] out = base.clone();
    for (Patch p : patches) {
      int at = (int) p.offset();
      byte[] b = p.bytes();
      if (p.kind() == REPLACE) {
        System.arraycopy(b, 0, out, at, b.length);
      } else {
        for (int j = 0; j < b.length; j++) out[at + j] += b[j];
      }
    }
    return out;
  }

  /** The linear head over the patched model's mean-pooled token states. */
  public TunedHead head() {
    return head;
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
