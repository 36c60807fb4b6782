package dev.pulse.testsupport;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A STAND-IN for the Qdrant server, for tests only; it is <b>not</b> Qdrant. It is a localhost gRPC server that
 * speaks Qdrant's real gRPC protocol: its services extend the generated bases in the {@code io.qdrant:client}
 * 1.18.3 jar, so the real Qdrant Java client talks to it unchanged.
 *
 * <p>What it implements:
 *
 * <ul>
 *   <li>{@code qdrant.Collections}: Create, Get (a {@code CollectionInfo} with the vector size, distance and point
 *       count), Delete, List, CollectionExists.
 *   <li>{@code qdrant.Points}: Upsert (dense vectors, points kept by id, the whole batch refused on a wrong
 *       dimension) and Search (brute-force cosine whatever the collection's distance, {@code must} keyword
 *       filters only, limit, payload on request).
 *   <li>Anything else answers UNIMPLEMENTED (the generated bases' default).
 * </ul>
 *
 * <p>Answers shaped like Qdrant's: NOT_FOUND "Not found: Collection `x` doesn't exist!", ALREADY_EXISTS "Wrong
 * input: Collection `x` already exists!" on a second create, INVALID_ARGUMENT "Wrong input: Vector dimension error:
 * expected dim: N, got M", Delete of a missing collection answering {@code result=false} rather than an error, and
 * an {@code api-key} header checked as Qdrant checks it (UNAUTHENTICATED "Invalid api-key").
 *
 * <p>Test switches: {@link #failing(boolean)} (every call UNAVAILABLE, as a server that is down), {@link #seed}
 * (a collection someone else created, possibly with other settings: drift), and counters of calls, upserts and
 * searches. Nothing is persisted; there is no index, no replication and no consistency model.
 */
public final class QdrantStandIn implements AutoCloseable {

  /** A collection as the stand-in holds it: vector size, distance, and how many points it reports. */
  public record StoredCollection(long size, Distance distance, long points) {}

  /** A point as Upsert received it. */
  public record StoredPoint(PointId id, float[] vector, Map<String, Value> payload) {}

  private final Store store = new Store();
  private final Gate gate;
  private final PointsService points = new PointsService(store);
  private final Server server;

  /** Starts on a free localhost port; {@code apiKey} null accepts calls without a key. */
  public QdrantStandIn(String apiKey) throws IOException {
    gate = new Gate(apiKey);
    server = ServerBuilder.forPort(0)
        .addService(ServerInterceptors.intercept(new CollectionsService(store), gate))
        .addService(ServerInterceptors.intercept(points, gate))
        .build()
        .start();
  }

  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /**
   * The collections by name: a read-only, live view, so that a caller may keep it (as
   * {@code qdrant.collections()::containsKey}) and see later creates and deletes.
   */
  public Map<String, StoredCollection> collections() {
    return store.view();
  }

  /**
   * Puts a collection in place (replacing one of that name) as if someone else had created it, e.g. with other
   * settings. {@code points} is the count it reports; those points cannot be searched.
   */
  public void seed(String name, long size, Distance distance, long points) {
    store.seed(name, size, distance, points);
  }

  /** The points upserted into a collection, by id (UUID string or number): a read-only, live view. */
  public Map<String, StoredPoint> points(String collection) {
    return store.points(collection);
  }

  /** gRPC calls received so far, refused ones included: a test can tell that a reconcile ran. */
  public int calls() {
    return gate.calls();
  }

  /** Upsert requests that got past the api-key check (successful or not). */
  public int upserts() {
    return points.upserts();
  }

  /** Search requests that got past the api-key check (successful or not). */
  public int searches() {
    return points.searches();
  }

  /** While true every call fails UNAVAILABLE, as when the server is down. */
  public void failing(boolean failing) {
    gate.failing(failing);
  }

  /** While true no call is answered (a server that accepts connections and hangs): only client deadlines end them. */
  public void hanging(boolean hanging) {
    gate.hanging(hanging);
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
