package dev.pulse.testsupport;

import dev.pulse.testsupport.QdrantStandIn.StoredCollection;
import dev.pulse.testsupport.QdrantStandIn.StoredPoint;
import io.qdrant.client.grpc.Collections.Distance;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The stand-in's collections, shared by its gRPC services and read by tests. */
final class Store {

  /** One collection: its shape, the points upserted, and the points a seed only reports. */
  record Held(long size, Distance distance, long seededPoints, Map<String, StoredPoint> points) {
    Held(long size, Distance distance, long seededPoints) {
      this(size, distance, seededPoints, new ConcurrentHashMap<>());
    }

    StoredCollection summary() {
      return new StoredCollection(size, distance, seededPoints + points.size());
    }
  }

  private final Map<String, Held> collections = new ConcurrentHashMap<>();
  private final Map<String, StoredCollection> view = new View();

  /** False when the name is taken. */
  boolean create(String name, long size, Distance distance) {
    return collections.putIfAbsent(name, new Held(size, distance, 0)) == null;
  }

  void seed(String name, long size, Distance distance, long points) {
    collections.put(name, new Held(size, distance, points));
  }

  /** Null when there is no such collection. */
  Held get(String name) {
    return collections.get(name);
  }

  boolean delete(String name) {
    return collections.remove(name) != null;
  }

  List<String> names() {
    return collections.keySet().stream().sorted().toList();
  }

  Map<String, StoredCollection> view() {
    return view;
  }

  Map<String, StoredPoint> points(String collection) {
    Held held = collections.get(collection);
    if (held == null) {
      throw new IllegalArgumentException("the stand-in has no collection " + collection);
    }
    return Collections.unmodifiableMap(held.points());
  }

  /** Read-only and live: each read looks at the collections as they are now. */
  private final class View extends AbstractMap<String, StoredCollection> {
    @Override
    public Set<Entry<String, StoredCollection>> entrySet() {
      return collections.entrySet().stream()
          .map(e -> Map.entry(e.getKey(), e.getValue().summary()))
          .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public StoredCollection get(Object name) {
      Held held = name == null ? null : collections.get(name);
      return held == null ? null : held.summary();
    }

    @Override
    public boolean containsKey(Object name) {
      return name != null && collections.containsKey(name);
    }

    @Override
    public int size() {
      return collections.size();
    }
  }
}
