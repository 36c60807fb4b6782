package dev.pulse.scoring.learned;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The embedding half of the learned tier: N heads trained alike from different seeds, each reading the fixed
 * features (sentence vector + lexicon features) and the states pooled by its own attention heads, their logits
 * averaged. Averaging independently trained members takes out much of the seed-to-seed noise of a single one
 * (about ±0.003 validation macro-recall between seeds), for N times a head. {@link #pooling()} holds every
 * member's attention in order, so one {@link Embedder} pass pools for all of them.
 *
 * <p>Weights are float32 (rounded so when built, so training reports what the shipped file scores), stored
 * gzipped; a set read from a resource serialises as the resource name, like {@link NgramHead}.
 */
public final class LightHeads implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x50554c48; // "PULH"
  private static final int VERSION = 2;
  public static final String SHIPPED = "/scoring/light-heads.bin";

  private final List<SoftmaxHead> members;
  private final TokenPooling pooling; // one attention per member
  private final double temperature;
  private final String resource;

  public LightHeads(List<SoftmaxHead> members, List<TokenAttention> attentions, double temperature) {
    this(members, attentions, temperature, null);
  }

  private LightHeads(List<SoftmaxHead> members, List<TokenAttention> attentions, double temperature, String resource) {
    if (members.isEmpty()) throw new IllegalArgumentException("no heads");
    if (attentions.size() != members.size()) throw new IllegalArgumentException("one attention per member");
    int fixed = members.get(0).dimension() - attentions.get(0).dimension();
    List<SoftmaxHead> rounded = new ArrayList<>();
    List<TokenAttention> roundedAttention = new ArrayList<>();
    for (int m = 0; m < members.size(); m++) {
      if (members.get(m).dimension() - attentions.get(m).dimension() != fixed) {
        throw new IllegalArgumentException("members read different fixed features");
      }
      rounded.add(members.get(m).roundedToFloat());
      roundedAttention.add(attentions.get(m).roundedToFloat());
    }
    this.members = List.copyOf(rounded);
    this.pooling = new TokenPooling(roundedAttention);
    this.temperature = temperature;
    this.resource = resource;
  }

  /** One head (and its attention, null for mean pooling) at the head's own temperature: a single trained member. */
  public static LightHeads single(SoftmaxHead head, TokenAttention attention) {
    return new LightHeads(List.of(head), List.of(attention == null ? TokenAttention.none() : attention),
        head.temperature());
  }

  public LightHeads withTemperature(double t) {
    return new LightHeads(members, pooling.parts(), t, null);
  }

  public int members() {
    return members.size();
  }

  /** What posts must be encoded with for these heads. */
  public TokenPooling pooling() {
    return pooling;
  }

  public double temperature() {
    return temperature;
  }

  /** Length of the fixed features each member reads before its pooled states. */
  public int fixedDimension() {
    return members.get(0).dimension() - pooling.parts().get(0).dimension();
  }

  /** Mean of the members' uncalibrated logits. */
  public double[] logits(double[] fixed, float[] attended) {
    if (fixed.length != fixedDimension() || attended.length != pooling.dimension()) {
      throw new IllegalArgumentException("expected " + fixedDimension() + " features and " + pooling.dimension()
          + " pooled values, got " + fixed.length + " and " + attended.length
          + " (was the post encoded with this scorer's attention?)");
    }
    double[] z = new double[SoftmaxHead.CLASSES];
    int at = 0;
    for (int m = 0; m < members.size(); m++) {
      int slice = pooling.parts().get(m).dimension();
      double[] x = java.util.Arrays.copyOf(fixed, fixed.length + slice);
      for (int i = 0; i < slice; i++) x[fixed.length + i] = attended[at + i];
      at += slice;
      double[] zm = members.get(m).logits(x);
      for (int c = 0; c < z.length; c++) z[c] += zm[c] / members.size();
    }
    return z;
  }

  public double[] probabilities(double[] fixed, float[] attended) {
    return SoftmaxHead.softmax(logits(fixed, attended), temperature);
  }

  // ---- binary format, gzipped, big-endian: magic, version, temperature, members, then each member's attention
  //      (TokenAttention.write) and head (SoftmaxHead.writeBinary) ----

  public void write(OutputStream out) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(out);
    DataOutputStream o = new DataOutputStream(gz);
    o.writeInt(MAGIC);
    o.writeInt(VERSION);
    o.writeDouble(temperature);
    o.writeInt(members.size());
    for (int m = 0; m < members.size(); m++) {
      pooling.parts().get(m).write(o);
      members.get(m).writeBinary(o);
    }
    o.flush();
    gz.finish();
  }

  public static LightHeads read(InputStream in) {
    return read(in, null);
  }

  private static LightHeads read(InputStream in, String resource) {
    try {
      DataInputStream i = new DataInputStream(new BufferedInputStream(new GZIPInputStream(in)));
      if (i.readInt() != MAGIC) throw new IllegalArgumentException("not a light-heads file");
      if (i.readInt() != VERSION) throw new IllegalArgumentException("light-heads file of another version: re-run ./pulse train-scorer");
      double t = i.readDouble();
      int n = i.readInt();
      List<SoftmaxHead> members = new ArrayList<>();
      List<TokenAttention> attentions = new ArrayList<>();
      for (int m = 0; m < n; m++) {
        attentions.add(TokenAttention.read(i));
        members.add(SoftmaxHead.readBinary(i));
      }
      return new LightHeads(members, attentions, t, resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final ConcurrentMap<String, LightHeads> FROM_RESOURCES = new ConcurrentHashMap<>();

  /** The heads ./pulse train-scorer wrote into the scorer's resources. */
  public static LightHeads shipped() {
    return fromResource(SHIPPED);
  }

  /** Reads a set from the classpath, once per JVM and resource. */
  public static LightHeads fromResource(String resource) {
    return FROM_RESOURCES.computeIfAbsent(resource,
        r -> ShippedResource.load(r, "./pulse train-scorer", in -> read(in, r)));
  }

  private Object writeReplace() {
    return resource == null ? this : new ShippedResource(resource, LightHeads::fromResource);
  }
}
