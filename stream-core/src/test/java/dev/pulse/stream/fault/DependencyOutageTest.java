package dev.pulse.stream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.stream.GatewayStandIn;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.stream.LlmEscalator;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.stream.PipelineSettingsTest;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.QdrantVectorSink;
import dev.pulse.stream.StreamEngine;
import dev.pulse.stream.VectorSink;
import dev.pulse.stream.metrics.StreamMetrics;
import dev.pulse.testsupport.QdrantStandIn;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.pulse.stream.fault.Outages.BlackHole;
import org.junit.jupiter.api.Test;

/**
 * Fault suite (issue 19): the LLM gateway and Qdrant hanging (a socket that accepts and never answers) and refusing
 * (a closed port), under the stream core's loop as {@code ./pulse local} runs it ({@link StreamEngine}: light score,
 * embedding, escalation off the loop, vectors behind their writer). Every post must still be published with its
 * light score, and both circuit breakers must open (their meters say so). The throughput of each case against the
 * stand-ins answering is printed as a figure ({@code FAULT-SUITE ...}), not asserted: a 2-core CI machine's timing
 * is no test. {@code -Dpulse.fault.posts=N} posts per case (default 1,000),
 * {@code -Dpulse.fault.rounds=N} rounds of the four cases (default 1).
 */
class DependencyOutageTest {
  private static final int POSTS = Integer.getInteger("pulse.fault.posts", 1_000);
  private static final int ROUNDS = Integer.getInteger("pulse.fault.rounds", 1);
  private static final int BATCH = 256; // ./pulse local's max.poll.records
  private static final Duration TIMEOUT = Duration.ofSeconds(2); // the operator's default spark.pulse.llm.timeout
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final String[] TEXTS = {"I love this phone, great battery", "terrible service, awful and broken",
      "the store opens at nine", "a parcel came today", "not sure what to think of the update"};
  private int serial;

  private record Result(String name, int posts, double seconds, Map<String, ScoredPost> firstPublished) {
    double perSecond() {
      return posts / seconds;
    }
  }

  private List<StreamEngine.Record> records(int n) {
    List<StreamEngine.Record> out = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < n; i++, serial++) {
      Post p = Post.of("o:" + serial, Source.X, "acme-x", "h" + serial, TEXTS[serial % TEXTS.length] + " #" + serial,
          "en", now, now, null, null, null);
      out.add(new StreamEngine.Record(EventJson.toBytes(p), "feed", 0, serial, now.toEpochMilli()));
    }
    return out;
  }

  private static double fallbacks(String pipeline, String reason) {
    Counter c = StreamMetrics.get().registry().find("pulse.llm.fallbacks").tag("pipeline", pipeline)
        .tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static double vectorBreaker(String collection) {
    Gauge g = StreamMetrics.get().registry().find("pulse.vector.breaker.state").tag("collection", collection).gauge();
    return g == null ? -1 : g.value();
  }

  private static double vectorsSkipped(String pipeline) {
    return StreamMetrics.get().registry().find("pulse.vector.points.skipped").tag("pipeline", pipeline).counters()
        .stream().mapToDouble(Counter::count).sum();
  }

  /**
   * Runs {@code posts} posts through the loop in batches of 256 and measures it; then, while {@code until} is not
   * met, small batches more (an open breaker shows only on posts that come after it opened). Every post's first
   * publication is kept.
   */
  private Result run(String name, int posts, String gatewayUrl, int qdrantPort, String collection,
      java.util.function.BooleanSupplier until) throws Exception {
    return run(name, posts, gatewayUrl, new PostProcessor(name,
        new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), true),
        new LlmEscalator(gatewayUrl, name, 0.6, TIMEOUT, 64),
        new QdrantVectorSink("127.0.0.1", qdrantPort, false, collection, TIMEOUT, 64)), until);
  }

  private Result run(String name, int posts, String gatewayUrl, PostProcessor processor,
      java.util.function.BooleanSupplier until) throws Exception {
    Map<String, String> conf = new HashMap<>(PipelineSettingsTest.operatorConf());
    conf.put("spark.pulse.pipeline", name);
    conf.put("spark.pulse.llm.gatewayUrl", gatewayUrl);
    conf.put("spark.pulse.llm.timeout", TIMEOUT.toSeconds() + "s");
    PipelineSettings settings = PipelineSettings.from(conf);
    Map<String, ScoredPost> first = new LinkedHashMap<>();
    int sent = 0;
    double seconds;
    try (StreamEngine engine = new StreamEngine(settings, processor, Clock.systemUTC())) {
      long t0 = System.nanoTime();
      while (sent < posts) {
        List<StreamEngine.Record> batch = records(Math.min(BATCH, posts - sent));
        sent += batch.size();
        engine.process(batch).scored().forEach(s -> first.putIfAbsent(s.post().id(), s));
      }
      seconds = (System.nanoTime() - t0) / 1e9;
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (!until.getAsBoolean()) {
        assertThat(System.nanoTime()).as("%s: waiting for the breakers", name).isLessThan(end);
        List<StreamEngine.Record> batch = records(8);
        sent += batch.size();
        engine.process(batch).scored().forEach(s -> first.putIfAbsent(s.post().id(), s));
        Thread.sleep(100);
      }
    }
    assertThat(first).as("%s: every post published at once", name).hasSize(sent);
    assertThat(first.values()).as("%s: published with its light score", name)
        .allMatch(s -> s.tier() == ScoredBy.LIGHT || s.tier() == ScoredBy.FALLBACK)
        .allMatch(s -> s.label() != null && !Double.isNaN(s.score()));
    return new Result(name, posts, seconds, first);
  }

  private static void createCollections(QdrantStandIn qdrant, String... names) throws Exception {
    try (QdrantClient admin = new QdrantClient(
        QdrantGrpcClient.newBuilder("127.0.0.1", qdrant.port(), false, false).build())) {
      for (String name : names) {
        admin.createCollectionAsync(name,
            VectorParams.newBuilder().setSize(Embedder.DIMENSION).setDistance(Distance.Cosine).build()).get();
      }
    }
  }

  private static String fallbackSummary(String pipeline) {
    StringBuilder out = new StringBuilder();
    for (String reason : List.of("timeout", "unreachable", "overloaded", "circuit_open")) {
      out.append(reason).append('=').append((long) fallbacks(pipeline, reason)).append(' ');
    }
    return out.append("vectors skipped=").append((long) vectorsSkipped(pipeline)).toString();
  }

  @Test
  void theLightScoreIsPublishedForEveryPostAndBothBreakersOpenWhileGatewayAndQdrantHangOrRefuse()
      throws Exception {
    try (GatewayStandIn gateway = new GatewayStandIn(); QdrantStandIn qdrant = new QdrantStandIn(null)) {
      createCollections(qdrant, "outage-warm");
      // Warm-up: the embedding model loads, the JIT compiles; no case pays for that.
      run("outage-warm", 300, gateway.url(), qdrant.port(), "outage-warm", () -> true);
      // Rounds of the four cases in turn, so that another process's load falls on each case alike; medians printed.
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      for (int round = 1; round <= ROUNDS; round++) {
        String normal = "outage-normal-" + round;
        createCollections(qdrant, normal);
        rates.computeIfAbsent("normal", k -> new ArrayList<>())
            .add(run(normal, POSTS, gateway.url(), qdrant.port(), normal, () -> true).perSecond());
        assertThat(gateway.requests).as("unsure posts escalated to the answering gateway").isNotEmpty();
        assertThat(vectorBreaker(normal)).as("Qdrant's breaker stays closed").isEqualTo(0.0);
        assertThat(fallbacks(normal, "circuit_open")).isZero();

        String hanging = "outage-hanging-" + round;
        try (BlackHole hungGateway = new BlackHole(); BlackHole hungQdrant = new BlackHole()) {
          rates.computeIfAbsent("hanging", k -> new ArrayList<>()).add(run(hanging, POSTS,
              "http://127.0.0.1:" + hungGateway.port(), hungQdrant.port(), hanging,
              () -> fallbacks(hanging, "circuit_open") > 0 && vectorBreaker(hanging) == 1.0).perSecond());
        }
        assertThat(fallbacks(hanging, "timeout")).as("gateway calls that timed out").isPositive();

        String refusing = "outage-refusing-" + round;
        rates.computeIfAbsent("refusing", k -> new ArrayList<>()).add(run(refusing, POSTS,
            "http://127.0.0.1:" + Outages.closedPort(), Outages.closedPort(), refusing,
            () -> fallbacks(refusing, "circuit_open") > 0 && vectorBreaker(refusing) == 1.0).perSecond());
        assertThat(fallbacks(refusing, "unreachable")).as("gateway calls refused").isPositive();

        // The floor: the light score and the embedding alone, no gateway, vectors dropped (what open breakers leave).
        String light = "outage-light-only-" + round;
        rates.computeIfAbsent("light score only", k -> new ArrayList<>()).add(run(light, POSTS, gateway.url(),
            new PostProcessor(light, new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), true), null,
                VectorSink.NONE), () -> true).perSecond());
        System.out.printf("%nround %d fallbacks: hanging [%s]; refusing [%s]%n", round, fallbackSummary(hanging),
            fallbackSummary(refusing));
      }
      double normal = median(rates.get("normal"));
      StringBuilder figures = new StringBuilder();
      rates.forEach((name, r) -> figures.append(String.format("; %s %.0f posts/s (%.0f %% of normal; rounds %s)", name,
          median(r), 100 * median(r) / normal, r.stream().map(x -> String.format("%.0f", x)).toList())));
      System.out.printf("%nFAULT-SUITE dependency outage (StreamEngine as ./pulse local runs it, lexicon tier with "
          + "MiniLM int8 embeddings, %d posts per case in batches of %d, llm/qdrant timeout %d s, %d round(s), "
          + "medians)%s%n", POSTS, BATCH, TIMEOUT.toSeconds(), ROUNDS, figures);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
