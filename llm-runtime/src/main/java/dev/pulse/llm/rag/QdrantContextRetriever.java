package dev.pulse.llm.rag;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;

import com.google.common.util.concurrent.ListenableFuture;
import dev.pulse.llm.model.Sentiment;
import dev.pulse.llm.metrics.GatewayMetrics;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Few-shot context from the pipeline's Qdrant collection, through Qdrant's own Java client (gRPC).
 *
 * <p>The payload contract with the Spark job that writes the points: {@code pipeline} (the
 * SentimentPipeline's name), {@code kind} ({@code post} or {@code glossary}), {@code text}, and for
 * posts {@code label} (negative | neutral | positive). Points of another pipeline or kind are never
 * returned; a post whose label is not one of the three is skipped.
 */
public final class QdrantContextRetriever implements ContextRetriever {
  private static final Logger LOG = LoggerFactory.getLogger(QdrantContextRetriever.class);

  private final QdrantClient client;
  private final String collection;
  private final int examples;
  private final int glossary;
  private final Duration timeout;
  private final GatewayMetrics metrics;
  // Logged when searches start or stop failing, not once per post: a batch is up to 256 posts.
  private final AtomicBoolean failing = new AtomicBoolean();

  public QdrantContextRetriever(
      QdrantClient client,
      String collection,
      int examples,
      int glossary,
      Duration timeout,
      GatewayMetrics metrics) {
    this.client = client;
    this.collection = collection;
    this.examples = examples;
    this.glossary = glossary;
    this.timeout = timeout;
    this.metrics = metrics;
  }

  @Override
  public RetrievedContext retrieve(String pipeline, float[] embedding) {
    try {
      // Both searches go out at once; the gRPC channel multiplexes them.
      ListenableFuture<List<ScoredPoint>> posts = search(pipeline, "post", embedding, examples);
      ListenableFuture<List<ScoredPoint>> terms = search(pipeline, "glossary", embedding, glossary);
      RetrievedContext context = new RetrievedContext(toExamples(await(posts)), toGlossary(await(terms)));
      if (failing.compareAndSet(true, false)) {
        LOG.info("Qdrant searches in collection {} succeed again", collection);
      }
      return context;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RetrievedContext.EMPTY;
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      metrics.retrievalFailed();
      if (failing.compareAndSet(false, true)) {
        LOG.warn("Qdrant searches in collection {} fail, prompting without context until they succeed: {}", collection, rootMessage(e));
      } else {
        LOG.debug("Qdrant search failed: {}", rootMessage(e));
      }
      return RetrievedContext.EMPTY;
    }
  }

  private ListenableFuture<List<ScoredPoint>> search(
      String pipeline, String kind, float[] embedding, int limit) {
    if (limit <= 0) {
      return com.google.common.util.concurrent.Futures.immediateFuture(List.of());
    }
    List<Float> vector = new ArrayList<>(embedding.length);
    for (float f : embedding) {
      vector.add(f);
    }
    SearchPoints request =
        SearchPoints.newBuilder()
            .setCollectionName(collection)
            .addAllVector(vector)
            .setFilter(
                Filter.newBuilder()
                    .addMust(matchKeyword("pipeline", pipeline))
                    .addMust(matchKeyword("kind", kind))
                    .build())
            .setLimit(limit)
            .setWithPayload(enable(true))
            .build();
    return client.searchAsync(request, timeout);
  }

  private List<ScoredPoint> await(ListenableFuture<List<ScoredPoint>> future)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    return future.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
  }

  static List<LabelledExample> toExamples(List<ScoredPoint> points) {
    List<LabelledExample> out = new ArrayList<>();
    for (ScoredPoint p : points) {
      String text = string(p.getPayloadMap(), "text");
      String label = string(p.getPayloadMap(), "label");
      if (text != null && label != null && Sentiment.WIRE_NAMES.contains(label)) {
        out.add(new LabelledExample(text, Sentiment.fromWire(label)));
      }
    }
    return out;
  }

  static List<String> toGlossary(List<ScoredPoint> points) {
    return points.stream().map(p -> string(p.getPayloadMap(), "text")).filter(t -> t != null).toList();
  }

  private static String string(Map<String, Value> payload, String key) {
    Value v = payload.get(key);
    return v != null && v.hasStringValue() && !v.getStringValue().isBlank() ? v.getStringValue() : null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
