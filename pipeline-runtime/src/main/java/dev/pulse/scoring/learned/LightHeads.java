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
 * (about ±0.003 validation macro-recall between seeds), for N times a head that costs microseconds. The
 * {@link #attention()} holds every member's queries in order, so one {@link Embedder} pass pools for all of them.
 *
 * <p>Weights are float32 (rounded so when built, so training reports what the shipped file scores), stored
 * gzipped; a set read from a resource serialises as the resource name, like {@link NgramHead}.
 */
public final class LightHeads implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x50554c48; // "PULH"
  public static final String SHIPPED = "/scoring/light-heads.bin";

  private final List<SoftmaxHead> members;
  private final TokenAttention attention;
  private final int headsPerMember;
  private final double temperature;
  private final String resource;

  public LightHeads(List<SoftmaxHead> members, TokenAttention attention, double temperature) {
    this(members, attention, temperature, null);
  }

  private LightHeads(List<SoftmaxHead> members, TokenAttention attention, double temperature, String resource) {
    if (members.isEmpty()) throw new IllegalArgumentException("no heads");
    if (attention.heads() % members.size() != 0) {
      throw new IllegalArgumentException(attention.heads() + " attention heads do not split among " + members.size() + " members");
    }
    this.headsPerMember = attention.heads() / members.size();
    int fixed = members.get(0).dimension() - headsPerMember * Embedder.DIMENSION;
    List<SoftmaxHead> rounded = new ArrayList<>();
    for (SoftmaxHead h : members) {
      if (h.dimension() != fixed + headsPerMember * Embedder.DIMENSION) throw new IllegalArgumentException("members differ in shape");
      rounded.add(h.roundedToFloat());
    }
    this.members = List.copyOf(rounded);
    this.attention = attention.roundedToFloat();
    this.temperature = temperature;
    this.resource = resource;
  }

  public static LightHeads of(SoftmaxTrainer.Trained single) {
    return new LightHeads(List.of(single.head()), single.attention() == null ? TokenAttention.none() : single.attention(),
        single.head().temperature());
  }

  public LightHeads withTemperature(double t) {
    return new LightHeads(members, attention, t, null);
  }

  public int members() {
    return members.size();
  }

  public TokenAttention attention() {
    return attention;
  }

  public double temperature() {
    return temperature;
  }

  /** Length of the fixed features each member reads before its pooled states. */
  public int fixedDimension() {
    return members.get(0).dimension() - headsPerMember * Embedder.DIMENSION;
  }

  /** Mean of the members' uncalibrated logits. */
  public double[] logits(double[] fixed, float[] attended) {
    int slice = headsPerMember * Embedder.DIMENSION;
    if (fixed.length != fixedDimension() || attended.length != slice * members.size()) {
      throw new IllegalArgumentException("expected " + fixedDimension() + " features and " + slice * members.size()
          + " pooled values, got " + fixed.length + " and " + attended.length
          + " (was the post encoded with this scorer's attention?)");
    }
    double[] z = new double[SoftmaxHead.CLASSES];
    double[] x = java.util.Arrays.copyOf(fixed, fixed.length + slice);
    for (int m = 0; m < members.size(); m++) {
      for (int i = 0; i < slice; i++) x[fixed.length + i] = attended[m * slice + i];
      double[] zm = members.get(m).logits(x);
      for (int c = 0; c < z.length; c++) z[c] += zm[c] / members.size();
    }
    return z;
  }

  public double[] probabilities(double[] fixed, float[] attended) {
    return SoftmaxHead.softmax(logits(fixed, attended), temperature);
  }

  // ---- binary format, gzipped, big-endian: magic, temperature, members, heads per member, the queries, then
  //      each member (SoftmaxHead.writeBinary) ----

  public void write(OutputStream out) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(out);
    DataOutputStream o = new DataOutputStream(gz);
    o.writeInt(MAGIC);
    o.writeDouble(temperature);
    o.writeInt(members.size());
    o.writeInt(headsPerMember);
    for (double[] q : attention.queries) for (double v : q) o.writeFloat((float) v);
    for (SoftmaxHead h : members) h.writeBinary(o);
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
      double t = i.readDouble();
      int n = i.readInt(), heads = i.readInt();
      double[][] queries = new double[n * heads][Embedder.DIMENSION];
      for (double[] q : queries) for (int j = 0; j < q.length; j++) q[j] = i.readFloat();
      List<SoftmaxHead> members = new ArrayList<>();
      for (int m = 0; m < n; m++) members.add(SoftmaxHead.readBinary(i));
      return new LightHeads(members, new TokenAttention(queries), t, resource);
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
    return FROM_RESOURCES.computeIfAbsent(resource, r -> {
      try (InputStream in = LightHeads.class.getResourceAsStream(r)) {
        if (in == null) throw new IllegalStateException("missing resource " + r + ": run ./pulse train-scorer");
        return read(in, r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private Object writeReplace() {
    return resource == null ? this : new FromResource(resource);
  }

  /** The serial form of a set read from a resource. */
  private static final class FromResource implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String resource;

    FromResource(String resource) {
      this.resource = resource;
    }

    private Object readResolve() {
      return fromResource(resource);
    }
  }
}
