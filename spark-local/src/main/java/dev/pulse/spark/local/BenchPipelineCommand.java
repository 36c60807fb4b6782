package dev.pulse.spark.local;

import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.scoring.learned.EmbeddingSettings;
import dev.pulse.stream.InMemoryVectorSink;
import dev.pulse.spark.JobConfig;
import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.testsupport.kafka.LocalKafka;
import dev.pulse.stream.PostProcessor;
import dev.pulse.spark.ScoredPostsJob;
import dev.pulse.stream.VectorSink;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse bench pipeline}: posts replayed at fixed rates into a real Kafka broker in this JVM → the scored-posts
 * query in Spark local mode → the scored topic, measuring throughput and ingest → scored-topic latency; beside it,
 * in the same run, the same posts through the same scoring code in a plain JVM loop (no Kafka, no Spark).
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Throughput and ingest→scored latency of the Spark job (local mode, embedded KRaft broker), "
        + "beside the same scoring in a plain JVM loop.")
public final class BenchPipelineCommand implements Callable<Integer> {

  @Option(names = "--seconds", defaultValue = "30", description = "How long each rate is replayed (default: ${DEFAULT-VALUE}; as long as real-time mode's checkpoint interval, whose boundaries are where its latency peaks). With embeddings on, a rate above 1.5x the model's own is replayed for as many posts as 1.5x the model's rate would send.")
  int seconds;

  @Option(names = "--posts", defaultValue = "0", description = "Posts per rate instead of --seconds (default: by --seconds).")
  int fixedPosts;

  /** Posts of the plain-loop and model-alone references. */
  private static final int REFERENCE_POSTS = 2000;

  @Option(names = "--rates", split = ",", defaultValue = "100,250,500,1000,2000,5000", description = "Replay rates in posts/s (default: ${DEFAULT-VALUE}).")
  List<Integer> rates;

  @Option(names = "--embeddings", defaultValue = "both", description = "on (the --scoring-tier scorer: MiniLM embedding + learned tier, vectors to an in-memory store), off (lexicon tier), or both (default: ${DEFAULT-VALUE}).")
  String embeddings;

  @Option(names = "--model-shares", defaultValue = "0.8,0.9", description = "With embeddings on, also replay at these shares of the embedding model's own rate measured in the same run, comma-separated (default: ${DEFAULT-VALUE}; none = no such runs).")
  String modelShares;

  private List<Double> shares() {
    if (modelShares.isBlank() || modelShares.equalsIgnoreCase("none")) return List.of();
    return Arrays.stream(modelShares.split(",")).map(String::trim).map(Double::parseDouble).toList();
  }

  @Option(names = "--trigger-mode", defaultValue = "RealTime", description = "RealTime or MicroBatch (default: ${DEFAULT-VALUE}).")
  String triggerMode;

  @Option(names = "--trigger-interval", defaultValue = "30s", description = "Real-time mode's checkpoint interval, or the micro-batch interval (0 = back to back) (default: ${DEFAULT-VALUE}).")
  String triggerInterval;

  @Option(names = "--scoring-tier", defaultValue = "fast", description = "With embeddings on: fast (one MiniLM pass per post, a pipeline's default) or full (plus the fine-tuned e5-small-v2 pass); the reference is that tier's encoder work alone (default: ${DEFAULT-VALUE}).")
  String scoringTier;

  @Option(names = "--embedding-model", defaultValue = "int8", description = "int8 or fp32 (default: ${DEFAULT-VALUE}).")
  String embeddingModel;

  @Option(names = "--embedding-max-tokens", defaultValue = "256", description = "Word pieces embedded per post (default: ${DEFAULT-VALUE}).")
  int embeddingMaxTokens;

  @Option(names = "--embedding-cache", defaultValue = "0", description = "Texts whose vectors are cached (default: ${DEFAULT-VALUE}: the bench replays the same texts at every rate, and a warm cache would measure the cache, not the model).")
  int embeddingCache;

  @Option(names = "--malformed", defaultValue = "0", description = "Malformed records sent beside each post, in turn not JSON, a post without its id, a field of the wrong type, invalid UTF-8 and empty (default: ${DEFAULT-VALUE}); they go to the dead-letter topic, and the rate and latency are still the posts' (issue 19's fault suite: does the job keep its rate?).")
  int malformed;

  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @Spec CommandSpec spec;

  /** One measured run. */
  record Result(String what, int rate, int posts, double postsPerSecond, long p50, long p95, long p99) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> texts = texts();
    List<Boolean> modes = switch (embeddings) {
      case "on" -> List.of(true);
      case "both" -> List.of(false, true);
      default -> List.of(false);
    };
    if (!scoringTier.equals("full") && !scoringTier.equals("fast")) {
      spec.commandLine().getErr().println("pulse bench pipeline: error: --scoring-tier must be full or fast: '" + scoringTier + "'");
      spec.commandLine().getErr().flush();
      return 2;
    }
    boolean realTime = "RealTime".equalsIgnoreCase(triggerMode);
    Duration interval = dev.pulse.contract.Durations.parse(triggerInterval);
    out.printf("pulse bench pipeline: %s per rate (TweetEval validation texts), %s, trigger %s %s, %d cores%n",
        fixedPosts > 0 ? fixedPosts + " posts" : seconds + " s", master, triggerMode, interval,
        Runtime.getRuntime().availableProcessors());
    out.flush();
    EmbeddingSettings embedding = new EmbeddingSettings(embeddingModel, embeddingMaxTokens, embeddingCache);
    out.printf("embeddings: %s; scoring tier with embeddings on: %s%n", embedding, scoringTier);
    List<Result> results = new ArrayList<>();
    double modelRate = 0;
    try (LocalKafka kafka = LocalKafka.start()) {
      SparkSession spark = SparkJobCommand.localSession(master, Map.of());
      try {
        for (boolean embed : modes) {
          PostProcessor processor = processor(embed, embedding, scoringTier);
          results.add(reference(processor, texts, embed));
          List<Integer> runRates = new ArrayList<>(rates);
          if (embed) {
            List<Result> model = embeddingOnly(texts, embedding, scoringTier.equals("full"));
            results.addAll(model);
            modelRate = Math.max(model.get(0).postsPerSecond(), model.get(1).postsPerSecond());
            for (double share : shares()) runRates.add((int) Math.round(share * modelRate));
          }
          int stalledAt = Integer.MAX_VALUE;
          for (int rate : runRates) {
            if (rate >= stalledAt) {
              out.printf("  skipped: %d posts/s, at or above a rate the job could not finish%n", rate);
              out.flush();
              continue;
            }
            int n = fixedPosts > 0 ? fixedPosts
                : (int) Math.max(200, Math.round((embed ? Math.min(rate, 1.5 * modelRate) : rate) * seconds));
            Result r;
            try {
              r = runSpark(spark, kafka, processor, texts, rate, n, embed, realTime, interval);
            } catch (Unfinished e) {
              // A saturated job: report it and go on with the rest, instead of losing the runs measured so far.
              stalledAt = rate;
              r = new Result(runName(realTime, interval, embed) + " (unfinished)", rate, e.scored, Double.NaN, -1, -1,
                  -1);
              results.add(r);
              out.printf("  unfinished: %s at %d posts/s: %s%n", runName(realTime, interval, embed), rate,
                  e.getMessage());
              out.flush();
              continue;
            }
            results.add(r);
            out.printf("  done: %s at %d posts/s: %.0f posts/s, p99 %d ms%n", r.what(), rate, r.postsPerSecond(),
                r.p99());
            out.flush();
          }
        }
      } finally {
        spark.stop();
      }
    }
    out.println();
    out.printf("%-52s %8s %7s %10s %8s %8s %8s%n", "run", "rate", "posts", "posts/s", "p50 ms", "p95 ms", "p99 ms");
    for (Result r : results) {
      out.printf("%-52s %8s %7d %10s %8s %8s %8s%n", r.what(), r.rate() == 0 ? "max" : r.rate(), r.posts(),
          Double.isNaN(r.postsPerSecond()) ? "-" : String.format(Locale.ROOT, "%.0f", r.postsPerSecond()), ms(r.p50()), ms(r.p95()),
          ms(r.p99()));
    }
    out.println();
    for (boolean embed : modes) {
      out.println(goal(results, embed, modelRate));
    }
    out.flush();
    return 0;
  }

  /**
   * The issue's goals, read off this run: with embeddings on, the best sustained rate at p99 under 1 s against
   * 80 % of the model's own rate; with them off, the best such rate against 5,000 posts/s.
   */
  static String goal(List<Result> results, boolean embed, double modelRate) {
    Result best = null;
    for (Result r : results) {
      if (r.p99() < 0 || r.p99() >= 1000 || r.what().endsWith("on") != embed) continue;
      if (best == null || r.postsPerSecond() > best.postsPerSecond()) best = r;
    }
    String held = best == null ? "no rate held p99 < 1 s"
        : String.format("best rate at p99 < 1 s: %.0f posts/s (offered %d, p99 %d ms)", best.postsPerSecond(),
            best.rate(), best.p99());
    if (embed) {
      double share = best == null || modelRate <= 0 ? 0 : best.postsPerSecond() / modelRate;
      return String.format("goal, embeddings on: >= 80%% of the model's own %.0f posts/s at p99 < 1 s; %s = %.0f%% -> %s",
          modelRate, held, 100 * share, share >= 0.8 ? "met" : "NOT met");
    }
    // Kept up: delivered at >= 99 % of the offered pace (the rest is the last posts' own latency).
    boolean met = results.stream().anyMatch(r -> r.what().endsWith("off") && r.p99() >= 0 && r.p99() < 1000
        && r.rate() >= 5000 && r.postsPerSecond() >= 0.99 * r.rate());
    return String.format("goal, embeddings off: keep up with >= 5,000 posts/s at p99 < 1 s; %s -> %s", held,
        met ? "met" : "NOT met");
  }

  private static String ms(long v) {
    return v < 0 ? "-" : Long.toString(v);
  }

  private static PostProcessor processor(boolean embed, EmbeddingSettings embedding, String tier) {
    SentimentScorer scorer = SentimentScorer.tier(embed ? dev.pulse.contract.ScoringTier.valueOf(tier) : dev.pulse.contract.ScoringTier.lexicon, Glossary.EMPTY);
    VectorSink sink = embed ? new InMemoryVectorSink("bench") : VectorSink.NONE;
    return new PostProcessor("bench", new LightPostScorer(scorer, embed, embedding), null, sink);
  }

  private List<String> texts() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/scoring/fixtures/tweeteval-val/val_text.txt")) {
      return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
          .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }

  private List<Post> batch(List<String> texts, String run, int n) {
    List<Post> out = new ArrayList<>(n);
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      out.add(Post.of("bench:" + run + ":" + i, Source.REPLAY, "bench", "h", texts.get(i % texts.size()), "en", now,
          now, null, null, Engagement.NONE));
    }
    return out;
  }

  /** The same posts through the same scoring code, in chunks as the job does, in one plain loop. */
  private Result reference(PostProcessor processor, List<String> texts, boolean embed) {
    List<Post> all = batch(texts, "ref", REFERENCE_POSTS);
    processor.process(all.subList(0, Math.min(200, all.size())), Instant.now()); // load models, JIT
    long t0 = System.nanoTime();
    for (int from = 0; from < all.size(); from += 512) {
      processor.process(all.subList(from, Math.min(all.size(), from + 512)), Instant.now());
    }
    double s = (System.nanoTime() - t0) / 1e9;
    return new Result("reference: plain JVM loop, embeddings " + (embed ? "on" : "off"), 0, all.size(),
        all.size() / s, -1, -1, -1);
  }

  /**
   * The model alone on the same posts, without a cache, in the two ways a pipeline can call it: lists of 512 through
   * LangChain4j's own parallel {@code embedAll}, and one post per call from one thread per core (what real-time
   * mode's tasks do). The faster of the two is the reference the goal compares with.
   */
  private List<Result> embeddingOnly(List<String> texts, EmbeddingSettings embedding, boolean tuned)
      throws InterruptedException {
    List<String> sample = batch(texts, "emb", REFERENCE_POSTS).stream().map(Post::text).toList();
    Embedder model = Embedder.shared(new EmbeddingSettings(embedding.model(), embedding.maxTokens(), 0));
    // The full tier's work is both passes (encodeTuned); the fast tier's is the one the vector store needs anyway.
    java.util.function.Consumer<List<String>> work = tuned ? model::encodeTuned : model::embed;
    work.accept(sample.subList(0, Math.min(200, sample.size())));
    long t0 = System.nanoTime();
    for (int from = 0; from < sample.size(); from += 512) {
      work.accept(sample.subList(from, Math.min(sample.size(), from + 512)));
    }
    double lists = sample.size() / ((System.nanoTime() - t0) / 1e9);

    int threads = Runtime.getRuntime().availableProcessors();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    long t1 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        for (int i = next.getAndIncrement(); i < sample.size(); i = next.getAndIncrement()) {
          work.accept(List.of(sample.get(i)));
        }
      }, "bench-embed-" + t);
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) w.join();
    double single = sample.size() / ((System.nanoTime() - t1) / 1e9);
    String name = "reference: MiniLM " + embedding.model() + (tuned ? " + fine-tuned e5-small-v2 int8" : "") + " alone";
    return List.of(
        new Result(name + ", lists of 512", 0, sample.size(), lists, -1, -1, -1),
        new Result(name + ", 1 post/call x " + threads + " threads", 0, sample.size(), single, -1, -1, -1));
  }

  private Result runSpark(SparkSession spark, LocalKafka kafka, PostProcessor processor, List<String> texts,
      int rate, int posts, boolean embed, boolean realTime, Duration interval) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String feed = "bench-feed-" + id;
    String scored = "bench-scored-" + id;
    String dead = "bench-dead-" + id;
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(feed, scored, dead), 2);
    JobConfig config = new JobConfig(kafka.bootstrapServers(), List.of(feed), scored, dead,
        Files.createTempDirectory("pulse-bench-ckpt").toUri().toString(), Duration.ofMinutes(10),
        interval, false, realTime);
    StreamingQuery query = ScoredPostsJob.start(spark, config, processor);
    try (KafkaProducer<String, byte[]> producer = producer(kafka);
        KafkaConsumer<String, byte[]> consumer = consumer(kafka, scored)) {
      // Warm-up: the first batches load the models and compile the plan.
      // Each rate starts a new query, whose generated code the JIT compiles again: warm it with up to 2 s of posts.
      List<Post> warm = batch(texts, id + "-warm", Math.min(2000, Math.max(200, 2 * rate)));
      for (Post p : warm) producer.send(new ProducerRecord<>(feed, p.id(), EventJson.toBytes(p)));
      producer.flush();
      drain(consumer, warm.size(), Duration.ofMinutes(3), null);

      List<Post> run = batch(texts, id, posts);
      long[] latencies = new long[run.size()];
      Thread sender = new Thread(() -> {
        long start = System.nanoTime();
        for (int i = 0; i < run.size(); i++) {
          long due = start + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              return;
            }
          }
          Post p = run.get(i).withIngestedAt(Instant.now());
          producer.send(new ProducerRecord<>(feed, p.id(), EventJson.toBytes(p)));
          for (int m = 0; m < malformed; m++) {
            producer.send(new ProducerRecord<>(feed, null, malformedRecord(i * malformed + m)));
          }
        }
        producer.flush();
      }, "bench-sender");
      long t0 = System.nanoTime();
      sender.start();
      long end = drain(consumer, run.size(), Duration.ofSeconds(run.size() / rate + 180), latencies);
      sender.join();
      double seconds = (end - t0) / 1e9;
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      return new Result(runName(realTime, interval, embed), rate, run.size(), run.size() / seconds, pct(sorted, 50), pct(sorted, 95),
          pct(sorted, 99));
    } finally {
      query.stop();
    }
  }

  private String runName(boolean realTime, Duration interval, boolean embed) {
    return "spark " + (realTime ? "real-time" : "micro-batch " + interval.toMillis() + "ms")
        + (malformed > 0 ? ", +" + malformed + " malformed/post" : "") + ", embeddings " + (embed ? "on" : "off");
  }

  /** The n-th malformed record: the kinds in turn (each one a dead letter with its reason, never a scored post). */
  static byte[] malformedRecord(int n) {
    String post = "{\"schemaVersion\":1,\"id\":\"bad-" + n + "\",\"source\":\"X\",\"feed\":\"bench\",\"text\":\"x\","
        + "\"createdAt\":\"2026-12-06T12:00:00Z\",\"ingestedAt\":\"2026-12-06T12:00:00Z\"}";
    return switch (n % 5) {
      case 0 -> ("not json #" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case 1 -> post.replace("\"id\":\"bad-" + n + "\",", "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case 2 -> post.replace("\"createdAt\":\"2026-12-06T12:00:00Z\"", "\"createdAt\":true")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case 3 -> {
        byte[] b = post.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        b[post.indexOf("\"text\":\"x") + 8] = (byte) 0xC3; // a lead byte whose continuation is missing
        yield b;
      }
      default -> new byte[0];
    };
  }

  /** A run whose posts did not all come back scored in time: the job could not keep up (or stalled). */
  static final class Unfinished extends RuntimeException {
    final int scored;

    Unfinished(int scored, int posts, Duration max) {
      super("only " + scored + " of " + posts + " posts scored within " + max);
      this.scored = scored;
    }
  }

  private static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** Reads scored posts until {@code n} distinct ones arrived; latency = arrival − ingestedAt. Returns nanoTime. */
  private static long drain(KafkaConsumer<String, byte[]> consumer, int n, Duration max, long[] latencies) {
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + max.toNanos();
    while (seen.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new Unfinished(seen.size(), n, max);
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
        long now = System.currentTimeMillis();
        ScoredPost s = EventJson.read(r.value(), ScoredPost.class);
        if (seen.add(s.post().id()) && latencies != null) {
          String id = s.post().id();
          int i = Integer.parseInt(id.substring(id.lastIndexOf(':') + 1));
          latencies[i] = now - s.post().ingestedAt().toEpochMilli();
        }
      }
    }
    return System.nanoTime();
  }

  private static KafkaProducer<String, byte[]> producer(LocalKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(LocalKafka kafka, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = c.partitionsFor(topic).stream()
        .map(i -> new TopicPartition(topic, i.partition())).toList();
    c.assign(parts);
    c.seekToBeginning(parts);
    return c;
  }
}
