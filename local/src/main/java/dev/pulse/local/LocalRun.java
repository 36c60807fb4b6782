package dev.pulse.local;

import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.testsupport.kafka.LocalKafka;

import ch.qos.logback.classic.Level;
import dev.pulse.dashboard.DashboardApplication;
import dev.pulse.event.LabelledExamples;
import dev.pulse.dashboard.history.RecentHistory;
import dev.pulse.dashboard.metrics.LatencyTracker;
import dev.pulse.dashboard.vector.VectorStore;
import dev.pulse.contract.IngestConfig;
import dev.pulse.ingest.Ingester;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.contract.ScoringTier;
import dev.pulse.contract.SparkJobOptions;
import dev.pulse.contract.TriggerMode;
import dev.pulse.contract.VectorStoreKind;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.StreamEngine;
import dev.pulse.stream.VectorSink;
import dev.pulse.stream.metrics.StreamMetrics;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded local run, start to Ctrl-C: broker → dashboard → scoring pipeline → replay ingester, then a console
 * line every few seconds. Stopped in the reverse order by the shutdown hook, so nothing is cut off mid-write.
 */
public final class LocalRun {
  public static final String PIPELINE = "demo";
  public static final String NAMESPACE = "local";
  /** The brands of the bundled demo feed, as the dashboard is told them (Name=term|term, comma-separated). */
  static final String DEMO_BRANDS = "Northwind Air=northwind air|northwindair,"
      + "Tailspin Mobile=tailspin mobile|tailspinmobile|tailspin,Lumen Coffee=lumen coffee|lumencoffee|lumen";

  /** The demo's glossary, as a SentimentPipeline's spec.scoring.glossary (the operator writes it as this JSON). */
  static final String GLOSSARY = "{\"terms\":[{\"term\":\"outage\",\"polarity\":-0.8},"
      + "{\"term\":\"grounded\",\"polarity\":-0.6},{\"term\":\"stranded\",\"polarity\":-0.7},"
      + "{\"term\":\"meltdown\",\"polarity\":-0.8}],"
      + "\"crisisKeywords\":[\"outage\",\"grounded\",\"stranded\",\"meltdown\"]}";

  /** The local run's topics: one feed and the pipeline's outputs, named as the operator names them. */
  record Topics(String feed, String scored, String aggregates, String alerts, String deadLetters) {
    static Topics of(String namespace, String pipeline) {
      String prefix = "pulse.pipeline." + namespace + "." + pipeline + ".";
      return new Topics("pulse.feed." + namespace + ".demo-replay", prefix + "scored", prefix + "aggregates",
          prefix + "alerts", prefix + "dead-letters");
    }

    List<String> all() {
      return List.of(feed, scored, aggregates, alerts, deadLetters);
    }

    /** Where LLM disagreements and analysts' corrections go, named as the engine and the dashboard derive it. */
    String labelled() {
      return LabelledExamples.topicFor(scored);
    }
  }

  /**
   * The pipeline's settings, once, as the spark.pulse.* keys the operator writes: both engines read these, the
   * in-JVM one through {@link PipelineSettings#from} and the Spark job as --conf options of ./pulse spark. Windows
   * are the crisis window (as in a cluster); the aggregates' lateness is 2 s, since the replay stamps
   * {@code ingestedAt} in order as it produces.
   */
  static Map<String, String> pipelineConf(String bootstrap, Topics topics, int windowSeconds, boolean embeddings,
      Path work) {
    Map<String, String> c = new java.util.LinkedHashMap<>();
    SparkJobOptions.PIPELINE.write(c, PIPELINE);
    SparkJobOptions.NAMESPACE.write(c, NAMESPACE);
    SparkJobOptions.BOOTSTRAP_SERVERS.write(c, bootstrap);
    SparkJobOptions.INPUT_TOPICS.write(c, List.of(topics.feed()));
    SparkJobOptions.SCORED_TOPIC.write(c, topics.scored());
    SparkJobOptions.AGGREGATES_TOPIC.write(c, topics.aggregates());
    SparkJobOptions.ALERTS_TOPIC.write(c, topics.alerts());
    SparkJobOptions.DEAD_LETTER_TOPIC.write(c, topics.deadLetters());
    // Real-time mode, as a cluster pipeline runs by default.
    SparkJobOptions.TRIGGER_MODE.write(c, TriggerMode.RealTime);
    SparkJobOptions.TRIGGER_INTERVAL.write(c, Duration.ofSeconds(1));
    SparkJobOptions.CHECKPOINT_INTERVAL.write(c, Duration.ofSeconds(30));
    SparkJobOptions.CHECKPOINT_LOCATION.write(c, work.resolve("spark-checkpoints").toUri().toString());
    SparkJobOptions.SCORING_TIER.write(c, embeddings ? ScoringTier.fast : ScoringTier.lexicon);
    SparkJobOptions.CRISIS_WINDOW.write(c, Duration.ofSeconds(windowSeconds));
    SparkJobOptions.CRISIS_MIN_VOLUME.write(c, 30L);
    SparkJobOptions.CRISIS_NEGATIVE_RATIO.write(c, 0.6);
    SparkJobOptions.GLOSSARY.write(c, GLOSSARY);
    SparkJobOptions.AGGREGATES_LATENESS.write(c, Duration.ofSeconds(2));
    SparkJobOptions.VECTOR_STORE.write(c, VectorStoreKind.none);
    return c;
  }

  private final int port;
  private final double rate;
  private final Path data;
  private final int windowSeconds;
  private final boolean embeddings;
  private final boolean loop;
  private final int reportSeconds;
  private final boolean spark;
  private final Clock clock = Clock.systemUTC();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile Ingester ingester;
  private boolean llm;

  public LocalRun(int port, double rate, Path data, int windowSeconds, boolean embeddings, boolean loop,
      int reportSeconds, boolean spark) {
    this.spark = spark;
    this.port = port;
    this.rate = rate;
    this.data = data;
    this.windowSeconds = windowSeconds;
    this.embeddings = embeddings;
    this.loop = loop;
    this.reportSeconds = reportSeconds;
  }

  /** Escalation to the real LLM (llama.cpp on CPU behind the LLM gateway, {@link LocalLlm}); off by default here. */
  public LocalRun withLlm(boolean on) {
    this.llm = on;
    return this;
  }

  /** Started beside a run, from its endpoints. */
  @FunctionalInterface
  public interface Beside {
    AutoCloseable start(Endpoints endpoints) throws Exception;
  }

  /** What a started run serves: the dashboard (and its /actuator/prometheus) and the metrics endpoints. */
  public record Endpoints(int dashboardPort, int ingesterMetricsPort, int streamMetricsPort) {}

  /** A started run: its endpoints, and {@link #close()} to stop it in the reverse order of the start. */
  public static final class Started implements AutoCloseable {
    private final Endpoints endpoints;
    private final AutoCloseable stop;

    Started(Endpoints endpoints, AutoCloseable stop) {
      this.endpoints = endpoints;
      this.stop = stop;
    }

    public Endpoints endpoints() {
      return endpoints;
    }

    @Override
    public void close() throws Exception {
      stop.close();
    }
  }

  /** Starts the run, waits for Ctrl-C, stops it. */
  public int run() throws Exception {
    return run(e -> () -> { });
  }

  /** The same, with something started beside the run once it is up (--observe: Prometheus), and stopped first. */
  public int run(Beside beside) throws Exception {
    long t0 = System.nanoTime();
    Started run = start();
    if (run == null) {
      return 1;
    }
    AutoCloseable extra;
    try {
      extra = beside.start(run.endpoints());
    } catch (Exception e) {
      run.close();
      throw e;
    }
    Started started = new Started(run.endpoints(), () -> {
      try {
        extra.close();
      } finally {
        run.close();
      }
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println();
      say("stopping …");
      try {
        started.close();
      } catch (Exception e) {
        System.err.println("pulse local: while stopping: " + e);
      }
      say("stopped cleanly");
      stopped.countDown();
    }, "pulse-local-stop"));

    say(String.format("ready in %.1f s → open http://localhost:%d   (Ctrl-C stops)",
        (System.nanoTime() - t0) / 1e9, started.endpoints().dashboardPort()));
    stopped.await();
    return 0;
  }

  /**
   * Starts broker → dashboard → scoring pipeline → replay ingester and the console report, and returns them as one
   * {@link Started}; null when the dashboard's port is taken (said on stderr). What ./pulse local and the
   * observability tests run.
   */
  public Started start() throws Exception {
    quietLogs();
    say("Pulse local run — everything in this JVM, nothing fetched from the network");
    Path work = Files.createTempDirectory("pulse-local-");
    Path feedFile = data != null ? data : bundledFeed(work);

    LocalKafka broker = LocalKafka.start();
    Topics topics = Topics.of(NAMESPACE, PIPELINE);
    KafkaTopics.ensure(broker.bootstrapServers(), topics.all(), 1);
    // Compacted, as the operator makes it: the latest label per post (an analyst's correction over the LLM's).
    KafkaTopics.ensure(broker.bootstrapServers(), List.of(topics.labelled()), 1, Map.of("cleanup.policy", "compact"));
    say("started  Kafka 4.1 broker (KRaft, in this JVM) on " + broker.bootstrapServers());

    Map<String, String> conf = pipelineConf(broker.bootstrapServers(), topics, windowSeconds, embeddings, work);
    LocalLlm localLlm = llm ? startLlm(conf, work) : null;
    PipelineSettings settings = PipelineSettings.from(conf);
    String scoring = (spark ? "the Spark job (local mode) with the " : "")
        + (embeddings ? "light scorer (MiniLM embeddings + lexicon)" : "lexicon scorer");
    ConfigurableApplicationContext dashboard;
    try {
      // As command-line arguments: they must win over dashboard.properties (server.port=${PORT:8080}).
      Map<String, Object> dashboardProps = dashboardProperties(broker.bootstrapServers(), topics, scoring);
      if (localLlm != null) {
        // An alert's "explain" and "draft a response" go to the gateway the escalation uses.
        dashboardProps.put("pulse.dashboard.gateway.url", localLlm.gatewayUrl());
        dashboardProps.put("pulse.dashboard.gateway.token", LocalLlm.TOKEN);
      }
      String[] args = dashboardProps.entrySet().stream()
          .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
      dashboard = new SpringApplicationBuilder(DashboardApplication.class).run(args);
    } catch (RuntimeException e) {
      broker.close();
      if (hasCause(e, java.net.BindException.class) || String.valueOf(e.getMessage()).contains("already in use")) {
        System.err.println("pulse local: port " + port + " is already in use; pass --port to pick another");
        return null;
      }
      throw e;
    }
    say("started  dashboard backend (REST, WebSocket, web app)");
    int dashboardPort = Integer.parseInt(dashboard.getEnvironment().getProperty("local.server.port", "" + port));

    AutoCloseable engine;
    int streamMetricsPort = -1;
    if (spark) {
      SparkJobProcess job = SparkJobProcess.start(SparkJobProcess.repoRoot(), conf, work);
      engine = job;
      say("started  the Spark job (./pulse spark, local mode, its own JVM; log: " + job.log() + "); it takes a"
          + " while to start, posts queue in Kafka meanwhile");
      say("started  the dashboard embeds the scored posts it reads into its in-memory vector store");
    } else {
      VectorSink vectors = embeddings ? new DashboardVectors(dashboard.getBean(VectorStore.class)) : VectorSink.NONE;
      PostProcessor processor = PostProcessor.of(settings, vectors);
      if (embeddings) {
        say("loading  all-MiniLM-L6-v2 (int8 ONNX) for scoring and the vector store …");
        Embedder.shared(settings.embedding()).encode(List.of("warm up"));
      }
      LocalPipeline pipeline = new LocalPipeline(broker.bootstrapServers(), settings.inputTopics(),
          new StreamEngine(settings, processor, clock));
      pipeline.start();
      engine = pipeline;
      // The stream core's meters (scored posts, dead letters, alerts ...), as a Spark executor serves them.
      streamMetricsPort = StreamMetrics.serve(0);
      say("started  the stream core in this JVM (the Spark job's steps, same code): " + scoring
          + ", dedup by post id, crisis words " + settings.glossary().crisisKeywords());
      say("NOTE     --engine spark runs the same settings through the Spark job in local mode");
    }
    say("started  windows of " + windowSeconds + " s → aggregates (closed 2 s after their end); alerts: CRISIS at ≥ "
        + "60% negative with ≥ 30 posts or enough crisis-word posts, SPIKE, TREND_SHIFT; in-memory vector store");

    // The same port each replay round, so a scraper keeps its target.
    int ingesterMetricsPort = dev.pulse.testsupport.FreePorts.one();
    Thread replay = new Thread(() -> replay(feedFile, work, broker.bootstrapServers(), topics.feed(),
        ingesterMetricsPort), "pulse-replay");
    replay.setDaemon(true);
    replay.start();
    say("started  replay of " + (data != null ? data : "the bundled demo feed (6,000 posts, crisis at ~40%)")
        + " at " + (rate == 0 ? "full speed" : rate + " posts/s") + (loop ? ", looping" : ", once"));

    LatencyTracker latency = dashboard.getBean(LatencyTracker.class);
    RecentHistory history = dashboard.getBean(RecentHistory.class);
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pulse-local-report");
      t.setDaemon(true);
      return t;
    });
    Instant started = Instant.now();
    reporter.scheduleAtFixedRate(() -> report(latency, history, started), reportSeconds, reportSeconds,
        TimeUnit.SECONDS);

    return new Started(new Endpoints(dashboardPort, ingesterMetricsPort, streamMetricsPort), () -> {
      stopping.set(true);
      reporter.shutdownNow();
      Ingester i = ingester;
      if (i != null) {
        i.stop();
      }
      try {
        engine.close();
        if (localLlm != null) {
          localLlm.close();
        }
        dashboard.close();
        broker.close();
      } finally {
        deleteQuietly(work);
      }
    });
  }

  /** The LLM and its gateway, written into the pipeline's settings; null (and said) when they do not start. */
  private LocalLlm startLlm(Map<String, String> conf, Path work) {
    say("starting the LLM: llama.cpp on CPU + the LLM gateway (the first run compiles llama.cpp: minutes) …");
    try {
      LocalLlm l = LocalLlm.start(SparkJobProcess.repoRoot(), work);
      SparkJobOptions.LLM_GATEWAY_URL.write(conf, l.gatewayUrl());
      SparkJobOptions.LLM_TIMEOUT.write(conf, LocalLlm.REQUEST_TIMEOUT);
      SparkJobOptions.ESCALATION_THRESHOLD.write(conf, LocalLlm.THRESHOLD);
      SparkJobOptions.LLM_BATCH_SIZE.write(conf, 16);
      say("started  " + l.describe());
      return l;
    } catch (Exception e) {
      say("WARNING  the LLM did not start, running without escalation (--no-llm skips it): " + e.getMessage());
      return null;
    }
  }

  private Map<String, Object> dashboardProperties(String bootstrap, Topics topics, String scoring) {
    Map<String, Object> p = new HashMap<>();
    p.put("server.port", port);
    p.put("pulse.dashboard.mode", "local");
    p.put("pulse.dashboard.pipeline", PIPELINE);
    p.put("pulse.dashboard.namespace", NAMESPACE);
    p.put("pulse.dashboard.kafka.bootstrap-servers", bootstrap);
    p.put("pulse.dashboard.kafka.scored-topic", topics.scored());
    p.put("pulse.dashboard.kafka.aggregates-topic", topics.aggregates());
    p.put("pulse.dashboard.kafka.alerts-topic", topics.alerts());
    // The local pipeline embeds each post once and fills the store itself.
    p.put("pulse.dashboard.vectors.index-consumed", spark && embeddings);
    // The bundled demo's three brands (each post names one), and brand buckets as long as the pipeline's windows.
    p.put("pulse.dashboard.brands", DEMO_BRANDS);
    p.put("pulse.dashboard.history.bucket", windowSeconds + "s");
    p.put("pulse.dashboard.local-description", "local run: Kafka in-JVM, replay at " + rate + " posts/s, "
        + scoring + (spark ? "" : " in-JVM (Spark job: --engine spark)"));
    p.put("logging.level.root", "WARN");
    p.put("logging.level.dev.pulse.ingest", "WARN");
    p.put("logging.level.org.apache.kafka", "ERROR");
    p.put("logging.level.kafka", "ERROR");
    p.put("spring.main.banner-mode", "off");
    return p;
  }

  private void replay(Path file, Path work, String bootstrap, String topic, int metricsPort) {
    int round = 0;
    do {
      round++;
      IngestConfig config = new IngestConfig("demo-replay", IngestConfig.FeedType.REPLAY, null, null, null,
          new IngestConfig.Replay(file.toString(), rate, null), null, null,
          new IngestConfig.Kafka(bootstrap, topic, Map.of()), work.resolve("replay-" + round + ".cursor.json").toString(),
          metricsPort, null);
      config.validate();
      try (Ingester i = new Ingester(config, System.getenv(), HttpClient.newHttpClient(), clock, Ingester::kafkaSink)) {
        ingester = i;
        i.run(0);
      } catch (Exception e) {
        if (!stopping.get()) {
          System.err.println("pulse local: replay failed: " + e);
        }
        return;
      }
      if (!stopping.get() && loop) {
        say("replay   reached the end of the feed; starting over");
      }
    } while (loop && !stopping.get());
  }

  private long shown;

  /** Posts that reached the dashboard in the interval, their latency, and what it holds. */
  private void report(LatencyTracker latency, RecentHistory history, Instant started) {
    LatencyTracker.Snapshot s = latency.snapshotAndReset();
    shown += s.posts();
    double perSecond = s.posts() / (double) reportSeconds;
    Duration up = Duration.between(started, Instant.now());
    LatencyTracker.Snapshot v = latency.verdictSnapshotAndReset();
    say(String.format("%02d:%02d  %6.1f posts/s  ingest→dashboard p50 %s  p99 %s  · %d posts · %d alerts%s",
        up.toMinutes(), up.toSecondsPart(), perSecond, ms(s.p50Millis()), ms(s.p99Millis()), shown,
        history.alerts().size(), v.posts() == 0 ? "" : String.format("  · %d LLM verdicts (updates) p50 %s  p99 %s",
            v.posts(), ms(v.p50Millis()), ms(v.p99Millis()))));
  }

  private static String ms(long v) {
    return v < 0 ? "  – " : String.format("%4d ms", v);
  }

  private static Path bundledFeed(Path work) throws Exception {
    Path file = work.resolve("demo-posts.jsonl");
    try (InputStream in = LocalRun.class.getResourceAsStream("/demo/posts.jsonl")) {
      if (in == null) {
        throw new IllegalStateException("the bundled demo feed /demo/posts.jsonl is missing from the classpath");
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  private static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      ctx.getLogger("org.apache.kafka").setLevel(Level.ERROR);
      ctx.getLogger("kafka").setLevel(Level.ERROR);
    }
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // a temporary directory; the OS cleans up what is left
    }
  }

  private static void say(String line) {
    System.out.println("pulse local │ " + line);
  }
}
