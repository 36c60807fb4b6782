package dev.pulse.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * An informer cache that keeps each owned object as deflated JSON, without {@code metadata.managedFields}, and
 * decodes it on every read. The operator reads few cached objects per reconcile (a pipeline's ~30, to compare with
 * what it would apply) but caches 35 per pipeline: as fabric8 object graphs (an empty LinkedHashMap of
 * additionalProperties in every nested object, a String per value) that was ~290 KiB per pipeline and feed, most of
 * the heap at 1,000 pipelines in {@code ./pulse bench operator}; as deflated JSON a few KiB.
 *
 * <p>What is kept is the object as the API server sent it, field for field (JSON round trip of the same model
 * class), less managedFields: server-side apply records one entry per field manager, often larger than the spec,
 * and the operator never reads them (it applies and lets the API server merge). Each read returns a new object, so
 * a caller that changes what it got cannot change the cache.
 */
public final class LeanItemStore<R extends HasMetadata> implements ItemStore<R> {

  /** Per thread, reused: a Deflater holds ~256 KiB of native memory, too much to make per object. */
  private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED));
  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);

  private final Class<R> type;
  private final KubernetesSerialization serialization;
  private final ConcurrentMap<String, Encoded> store = new ConcurrentHashMap<>();

  /** The deflated JSON and its inflated length (the buffer to inflate into). */
  private record Encoded(byte[] deflated, int length) {}

  /**
   * @param type the class the informer deserialises to (GenericKubernetesResource for a kind without a model)
   * @param serialization the client's, so objects read back are what the informer itself would have made
   */
  public LeanItemStore(Class<R> type, KubernetesSerialization serialization) {
    this.type = type;
    this.serialization = serialization;
  }

  @Override
  public String getKey(R obj) {
    return Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public R put(String key, R obj) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    return decode(store.put(key, encode(obj)));
  }

  @Override
  public R remove(String key) {
    return decode(store.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet().stream();
  }

  @Override
  public Stream<R> values() {
    return store.values().stream().map(this::decode);
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public R get(String key) {
    return decode(store.get(key));
  }

  /** The JSON kept for {@code key}, or null: what a read decodes (for tests and diagnosis). */
  String storedJson(String key) {
    Encoded e = store.get(key);
    return e == null ? null : new String(inflate(e), StandardCharsets.UTF_8);
  }

  /** Bytes kept for the objects themselves (deflated JSON), for diagnosis. */
  long storedBytes() {
    return store.values().stream().mapToLong(e -> e.deflated().length).sum();
  }

  private Encoded encode(R obj) {
    byte[] json = serialization.asJson(obj).getBytes(StandardCharsets.UTF_8);
    Deflater deflater = DEFLATER.get();
    deflater.reset();
    deflater.setInput(json);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, json.length / 4));
    byte[] buffer = new byte[4096];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    return new Encoded(out.toByteArray(), json.length);
  }

  private R decode(Encoded e) {
    return e == null ? null : serialization.unmarshal(new ByteArrayInputStream(inflate(e)), type);
  }

  private static byte[] inflate(Encoded e) {
    Inflater inflater = INFLATER.get();
    inflater.reset();
    inflater.setInput(e.deflated());
    byte[] json = new byte[e.length()];
    try {
      int n = 0;
      while (n < json.length) {
        int inflated = inflater.inflate(json, n, json.length - n);
        if (inflated == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
          throw new DataFormatException("ended after " + n + " of " + json.length + " bytes");
        }
        n += inflated;
      }
      return json;
    } catch (DataFormatException impossible) {
      throw new IllegalStateException("corrupt informer cache entry", impossible);
    }
  }
}
