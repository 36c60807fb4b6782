package dev.pulse.spark;

import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.stream.PostProcessor;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.testsupport.observe.JaegerServer;
import dev.pulse.tracing.PulseTracing;
import io.opentelemetry.api.trace.Span;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A benchmark, not a test (it asserts nothing; runs only when asked): what tracing costs the Spark job's
 * scored-posts query in local mode ({@code local[2]}, lexicon tier, no LLM, the embedded broker, a real Jaeger
 * receiving the spans over OTLP/HTTP).
 *
 * <pre>
 * ./mvnw -B -o -q -pl spark-job -am verify -Dpulse.skipImages -Dtest=SparkTracingBench \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dpulse.bench=spark-tracing [-Dpulse.bench.posts=20000 -Dpulse.bench.rounds=3]
 * </pre>
 *
 * Modes, as a pipeline would be configured: {@code off} (no endpoint: the ingester writes no traceparent, the
 * executors make no span), and {@code PULSE_TRACE_SAMPLE_RATIO} 0, 0.01 and 1 (every record carries a traceparent
 * from the ingester, which samples that share; the executor continues the sampled ones, parent-based). Each run
 * writes the posts to a fresh topic first (not timed), then times the query from start to its end (available-now,
 * so the query's start is in the figure: ~the same in every mode) and the JVM's CPU time meanwhile. The modes run
 * in every round in an order that rotates, after one uncounted run of each; the figure is the median over rounds of
 * each round's mode/off ratio.
 */
@EnabledIfSystemProperty(named = "pulse.bench", matches = "spark-tracing")
class SparkTracingBench {
  private record Run(double postsPerSecond, double cpuMicrosPerPost, double load) {}

  @Test
  void tracingCostOfTheScoredPostsQuery() throws Exception {
    int posts = Integer.getInteger("pulse.bench.posts", 20_000);
    int rounds = Integer.getInteger("pulse.bench.rounds", 3);
    List<String> modes = List.of("off", "0", "0.01", "1");
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    modes.forEach(m -> runs.put(m, new ArrayList<>()));
    SparkSession spark = TestSpark.builder("pulse-spark-tracing-bench").getOrCreate();
    Path dir = Files.createTempDirectory("pulse-spark-tracing-bench");
    try (JaegerServer jaeger = JaegerServer.start()) {
      EmbeddedKafka kafka = EmbeddedKafka.shared();
      // Every run's topics made up front: writing right after a topic is made met its leader moving on this broker.
      List<String> topics = new ArrayList<>();
      for (int i = 0; i < (rounds + 1) * modes.size(); i++) {
        String topic = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaTopics.ensure(kafka.bootstrapServers(), List.of(topic + ".feed", topic + ".scored", topic + ".dead",
            dev.pulse.event.LabelledExamples.topicFor(topic + ".scored")), 2);
        topics.add(topic);
      }
      Thread.sleep(5_000);
      for (String mode : modes) { // warm-up, not counted: JIT, Spark's first queries, the exporter's first batches
        run(spark, kafka, jaeger, dir, topics.remove(0), mode, Math.min(posts, 10_000));
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < modes.size(); i++) {
          String mode = modes.get((i + round) % modes.size());
          Run r = run(spark, kafka, jaeger, dir, topics.remove(0), mode, posts);
          runs.get(mode).add(r);
          System.out.printf("SPARK-TRACING-BENCH round %d %-5s %8.0f posts/s %7.1f CPU µs/post load %.1f%n",
              round + 1, mode, r.postsPerSecond, r.cpuMicrosPerPost, r.load);
        }
      }
    } finally {
      spark.stop();
    }
    System.out.printf("SPARK-TRACING-BENCH %d posts x %d rounds (local[2], lexicon tier); medians:%n", posts, rounds);
    System.out.println("| mode | posts/s | throughput vs off | CPU µs/post | CPU vs off | load average |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (String mode : modes) {
      List<Double> throughputRatio = new ArrayList<>();
      List<Double> cpuRatio = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        throughputRatio.add(runs.get(mode).get(i).postsPerSecond / runs.get("off").get(i).postsPerSecond - 1);
        cpuRatio.add(runs.get(mode).get(i).cpuMicrosPerPost / runs.get("off").get(i).cpuMicrosPerPost - 1);
      }
      System.out.printf("| %s | %.0f | %+.1f %% | %.1f | %+.1f %% | %.1f |%n", mode,
          median(runs.get(mode).stream().map(Run::postsPerSecond).toList()), 100 * median(throughputRatio),
          median(runs.get(mode).stream().map(Run::cpuMicrosPerPost).toList()), 100 * median(cpuRatio),
          median(runs.get(mode).stream().map(Run::load).toList()));
    }
  }

  private static Run run(SparkSession spark, EmbeddedKafka kafka, JaegerServer jaeger, Path dir, String topic,
      String mode, int posts) throws Exception {
    boolean on = !mode.equals("off");
    try (PulseTracing ingester = on ? PulseTracing.fromEnvironment("pulse-ingester", Map.of(
        PulseTracing.ENDPOINT_ENV, jaeger.otlpEndpoint(), PulseTracing.RATIO_ENV, mode))
        : PulseTracing.off("pulse-ingester")) {
      write(kafka.bootstrapServers(), topic + ".feed", posts, ingester);
    }
    if (on) {
      System.setProperty(PulseTracing.ENDPOINT_PROPERTY, jaeger.otlpEndpoint());
      System.setProperty(PulseTracing.RATIO_PROPERTY, mode);
    }
    try {
      JobConfig job = new JobConfig(kafka.bootstrapServers(), List.of(topic + ".feed"), topic + ".scored",
          topic + ".dead", dir.resolve(topic).toUri().toString(), Duration.ofMinutes(10), null, true, false);
      PostProcessor processor = PostProcessor.lightOnly(new LightPostScorer(SentimentScorer.lexicon(
          new Glossary(List.of(), List.of("recall")))));
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      StreamingQuery query = ScoredPostsJob.start(spark, job, processor);
      if (!query.awaitTermination(600_000)) throw new IllegalStateException("the run did not end in 10 minutes");
      ExecutorTracing.flush(); // the spans' export is part of the cost
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cpu = os.getProcessCpuTime() - cpu0;
      if (query.exception().isDefined()) throw query.exception().get();
      return new Run(posts / seconds, cpu / 1e3 / posts, os.getSystemLoadAverage());
    } finally {
      System.clearProperty(PulseTracing.ENDPOINT_PROPERTY);
      System.clearProperty(PulseTracing.RATIO_PROPERTY);
    }
  }

  /** The posts as the ingester writes them: with its span's traceparent when tracing is on. */
  private static void write(String bootstrap, String topic, int posts, PulseTracing ingester) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // Not idempotent: a leader change stalled the idempotent producer on OUT_OF_ORDER_SEQUENCE_NUMBER here; a
    // retried batch written twice is dropped by the query's dedup.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    Instant now = Instant.now();
    String[] texts = {"flight %d delayed again, the crew was lovely though", "great service on route %d, thank you",
        "lost my bag on flight %d, nobody answers", "boarding for %d starts at the gate"};
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < posts; i++) {
        Post post = Post.of("x:" + i, Source.X, "bench-x", "h", String.format(texts[i % texts.length], i), "en",
            now, now, null, null, null);
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, null, now.toEpochMilli(), post.id(),
            EventJson.toBytes(post));
        if (ingester.enabled()) {
          Span span = ingester.start("ingest", null, null, "bench-x", "X");
          PulseTracing.inject(span, r.headers());
          span.end();
        }
        producer.send(r);
      }
      producer.flush();
    }
    ingester.flush();
  }

  /**
   * The executor's own per-post cost, without Spark, Kafka or the machine's other load in the figure: the query's
   * partition function ({@code ScoredPostsJob.score}, chunks of 512, lexicon tier) over the same routed rows, its
   * thread's CPU time per post, best of {@code pulse.bench.reps} (the spans' export runs on the SDK's own thread and
   * is not in it). Modes: no traceparent at all, traceparents with tracing off in the executor (passed on), and on
   * with the ingester having sampled 0, 1 % and every post.
   */
  @Test
  void inThreadCostPerPost() throws Exception {
    int posts = Integer.getInteger("pulse.bench.rows", 50_000);
    int reps = Integer.getInteger("pulse.bench.reps", 7);
    PostProcessor processor = PostProcessor.lightOnly(new LightPostScorer(SentimentScorer.lexicon(
        new Glossary(List.of(), List.of("recall")))));
    var threads = ManagementFactory.getThreadMXBean();
    try (JaegerServer jaeger = JaegerServer.start()) {
      Map<String, Double> best = new LinkedHashMap<>();
      List<String> modes = List.of("untraced", "off", "0", "0.01", "1");
      for (int rep = 0; rep < reps; rep++) {
        for (String mode : modes) {
          List<org.apache.spark.sql.Row> rows = routedRows(posts, mode);
          if (List.of("0", "0.01", "1").contains(mode)) {
            System.setProperty(PulseTracing.ENDPOINT_PROPERTY, jaeger.otlpEndpoint());
            System.setProperty(PulseTracing.RATIO_PROPERTY, mode);
          }
          try {
            long cpu0 = threads.getCurrentThreadCpuTime();
            var out = ScoredPostsJob.score(rows.iterator(), processor, "scored", "dead", ScoredPostsJob.CHUNK, null);
            int n = 0;
            while (out.hasNext()) {
              out.next();
              n++;
            }
            double micros = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / posts;
            if (n != posts) throw new IllegalStateException(n + " rows out of " + posts);
            best.merge(mode, micros, Math::min);
          } finally {
            ExecutorTracing.flush();
            System.clearProperty(PulseTracing.ENDPOINT_PROPERTY);
            System.clearProperty(PulseTracing.RATIO_PROPERTY);
          }
        }
      }
      System.out.printf("SPARK-TRACING-BENCH in-thread, %d posts, best of %d (thread CPU µs/post; load %.1f):%n",
          posts, reps, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      best.forEach((mode, micros) -> System.out.printf("| %s | %.2f | %+.2f |%n", mode, micros,
          micros - best.get("untraced")));
    }
  }

  /** Routed rows as the query's first step makes them; the traceparent as an ingester sampling {@code mode}. */
  private static List<org.apache.spark.sql.Row> routedRows(int posts, String mode) {
    Instant now = Instant.now();
    java.util.Random random = new java.util.Random(42);
    double ratio = mode.equals("untraced") ? -1 : mode.equals("off") ? 1 : Double.parseDouble(mode);
    List<org.apache.spark.sql.Row> rows = new ArrayList<>(posts);
    for (int i = 0; i < posts; i++) {
      Post post = Post.of("x:" + i, Source.X, "bench-x", "h", "flight " + i + " delayed again, the crew was lovely",
          "en", now, now, null, null, null);
      byte[] traceparent = ratio < 0 ? null : String.format("00-%016x%016x-%016x-%s", random.nextLong(),
          random.nextLong() | 1, random.nextLong() | 1, random.nextDouble() < ratio ? "01" : "00")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      rows.add(org.apache.spark.sql.RowFactory.create(false, post.id(), EventJson.toBytes(post),
          java.sql.Timestamp.from(now), "feed", 0, (long) i, traceparent));
    }
    return rows;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
