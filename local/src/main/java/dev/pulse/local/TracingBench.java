package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import dev.pulse.ingest.KafkaPostSink;
import dev.pulse.local.observe.JaegerProcess;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.StreamEngine;
import dev.pulse.stream.VectorSink;
import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.testsupport.kafka.LocalKafka;
import dev.pulse.tracing.PulseTracing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pulse bench tracing}: what tracing costs the local pipeline's throughput, off and on in one run. Each run
 * writes N posts through the ingester's Kafka sink ({@code ingest} spans, traceparent in the records' headers) and
 * scores them with the stream core's Kafka loop as {@code ./pulse local} runs it ({@code score} spans, traceparent on
 * the scored records), exporting over OTLP/HTTP to a real Jaeger (the one {@code --observe} starts). Modes alternate
 * within each round (off, default ratio, every post; the order rotates from round to round) so the machine's load
 * drifts over all of them alike; the overhead is the median over rounds of each round's on/off ratio. The Spark job is not traced, so {@code ./pulse bench pipeline} cannot show
 * this (tracing/README.md).
 */
@Command(name = "pulse bench tracing", mixinStandardHelpOptions = true,
    description = "Local pipeline throughput (ingest + score) with tracing off, at the default ratio and at 100 %%.")
public final class TracingBench implements Callable<Integer> {
  @Option(names = "--posts", description = "Posts per run (default ${DEFAULT-VALUE}).")
  int posts = 20_000;
  @Option(names = "--rounds", description = "Rounds; each runs every mode once (default ${DEFAULT-VALUE}).")
  int rounds = 3;
  @Option(names = "--embeddings", description = "Score with MiniLM (fast tier) instead of the lexicon tier; "
      + "the lexicon tier is the cheapest scorer, so tracing's share of the time is largest there.")
  boolean embeddings;

  private static final String[] TEXTS = {
      "the flight was delayed again and nobody told us anything",
      "great service at the airport lounge today, thanks team",
      "lost my bag on the connection, support is not answering",
      "new route to lisbon announced, looks promising",
      "crew were lovely but the seat was broken the whole way"};

  record Mode(String name, Double ratio) {}

  /** Throughputs in posts/s (wall clock) and this JVM's CPU time per post (every thread: broker, exporter …). */
  record Run(double ingestPerSecond, double scorePerSecond, double endToEndPerSecond, double cpuMicrosPerPost) {}

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TracingBench()).execute(args)); // the launcher passes the options only
  }

  @Override
  public Integer call() throws Exception {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
      ctx.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.ERROR);
      ctx.getLogger("kafka").setLevel(ch.qos.logback.classic.Level.ERROR);
    }
    List<Mode> modes = List.of(new Mode("off", null), new Mode("on, " + PulseTracing.DEFAULT_RATIO, null),
        new Mode("on, 1.0", 1.0));
    Map<String, List<Run>> results = new LinkedHashMap<>();
    modes.forEach(m -> results.put(m.name(), new ArrayList<>()));
    int[] ports = dev.pulse.testsupport.FreePorts.distinct(2);
    try (LocalKafka broker = LocalKafka.start();
        JaegerProcess jaeger = JaegerProcess.start(SparkJobProcess.repoRoot(), ports[0], ports[1])) {
      System.out.printf("tracing bench: %d posts per run, %d rounds, %s tier, Jaeger at %s, %d cores%n", posts,
          rounds, embeddings ? "fast (MiniLM)" : "lexicon", jaeger.otlpEndpoint(),
          Runtime.getRuntime().availableProcessors());
      run(broker, modes.get(0), null, "warmup", Math.min(posts, 5_000)); // JIT, Kafka's first topics
      for (int round = 1; round <= rounds; round++) {
        for (int k = 0; k < modes.size(); k++) {
          // The order rotates every round, so no mode always runs first (after the previous run's garbage).
          int mi = (k + round) % modes.size();
          Mode m = modes.get(mi);
          System.gc();
          Thread.sleep(1_000);
          String endpoint = m.name().equals("off") ? null : jaeger.otlpEndpoint();
          Run r = run(broker, m, endpoint, "r" + round + "m" + mi, posts);
          results.get(m.name()).add(r);
          System.out.printf("round %d  %-10s ingest %7.0f posts/s   score %7.0f posts/s   end to end %7.0f posts/s"
              + "   CPU %6.1f µs/post%n", round, m.name(), r.ingestPerSecond(), r.scorePerSecond(),
              r.endToEndPerSecond(), r.cpuMicrosPerPost());
        }
      }
    } finally {
      System.clearProperty(PulseTracing.ENDPOINT_PROPERTY);
      System.clearProperty(PulseTracing.RATIO_PROPERTY);
    }
    // Paired within each round (the same minute of the machine's load), then the median over rounds.
    List<Run> offRuns = results.get("off");
    System.out.println();
    System.out.println("median over rounds; overhead = 1 - on/off within a round (end to end = posts / (ingest time"
        + " + score time); CPU = this JVM's CPU time per post, which other processes' load disturbs least):");
    for (var e : results.entrySet()) {
      List<Run> runs = e.getValue();
      List<Run> throughputOverhead = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        Run on = runs.get(i);
        Run off = offRuns.get(i);
        throughputOverhead.add(new Run(0, 0, 100 * (1 - on.endToEndPerSecond() / off.endToEndPerSecond()),
            100 * (on.cpuMicrosPerPost() / off.cpuMicrosPerPost() - 1)));
      }
      System.out.printf("  %-10s ingest %7.0f   score %7.0f   end to end %7.0f posts/s  (overhead %+5.1f %%, quartiles"
              + " %+.1f / %+.1f)   CPU %6.1f µs/post  (overhead %+5.1f %%, quartiles %+.1f / %+.1f)%n",
          e.getKey(), median(runs, Run::ingestPerSecond), median(runs, Run::scorePerSecond),
          median(runs, Run::endToEndPerSecond), median(throughputOverhead, Run::endToEndPerSecond),
          quantile(throughputOverhead, Run::endToEndPerSecond, 0.25),
          quantile(throughputOverhead, Run::endToEndPerSecond, 0.75),
          median(runs, Run::cpuMicrosPerPost), median(throughputOverhead, Run::cpuMicrosPerPost),
          quantile(throughputOverhead, Run::cpuMicrosPerPost, 0.25),
          quantile(throughputOverhead, Run::cpuMicrosPerPost, 0.75));
    }
    return 0;
  }

  private Run run(LocalKafka broker, Mode mode, String endpoint, String tag, int n) throws Exception {
    // Every traced component reads these when it is built (PulseTracing.forService).
    if (endpoint == null) {
      System.clearProperty(PulseTracing.ENDPOINT_PROPERTY);
      System.clearProperty(PulseTracing.RATIO_PROPERTY);
    } else {
      System.setProperty(PulseTracing.ENDPOINT_PROPERTY, endpoint);
      System.setProperty(PulseTracing.RATIO_PROPERTY,
          String.valueOf(mode.ratio() == null ? PulseTracing.DEFAULT_RATIO : mode.ratio()));
    }
    LocalRun.Topics topics = LocalRun.Topics.of("bench" + tag.replaceAll("[^a-z0-9]", ""), LocalRun.PIPELINE);
    KafkaTopics.ensure(broker.bootstrapServers(), topics.all(), 1);
    Path work = Files.createTempDirectory("pulse-tracing-bench-");
    PipelineSettings settings = PipelineSettings.from(
        LocalRun.pipelineConf(broker.bootstrapServers(), topics, 300, embeddings, work));

    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    try (KafkaPostSink sink = new KafkaPostSink(broker.bootstrapServers(), topics.feed(), null, "bench-" + tag,
        "bench-feed", Map.of())) {
      var cursor = new ObjectMapper().createObjectNode();
      List<Post> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Instant now = Instant.now();
        batch.add(Post.of(tag + "-" + i, Source.RSS, "bench-feed", "a" + (i % 97), TEXTS[i % TEXTS.length] + " #" + i,
            "en", now, now, null, null, null));
        if (batch.size() == 500 || i == n - 1) {
          cursor.put("seq", i);
          sink.send(batch, List.of(), cursor);
          batch.clear();
        }
      }
    }
    long t1 = System.nanoTime();
    LocalPipeline pipeline = new LocalPipeline(broker.bootstrapServers(), settings.inputTopics(),
        new StreamEngine(settings, PostProcessor.of(settings, VectorSink.NONE), Clock.systemUTC()));
    pipeline.start();
    // Scoring is timed from its first scored batch: the consumer group's join (seconds) is not the pipeline's work.
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (pipeline.scoredCount() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    long tFirst = System.nanoTime();
    long first = pipeline.scoredCount();
    while (pipeline.scoredCount() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(mode.name() + ": " + pipeline.scoredCount() + " of " + n + " scored in 10 min");
      }
      Thread.sleep(5);
    }
    long t2 = System.nanoTime();
    long cpu = processCpuNanos() - cpu0;
    pipeline.close();
    double ingestSeconds = (t1 - t0) / 1e9;
    double scoreSeconds = (t2 - tFirst) / 1e9 * n / Math.max(1, n - first); // the first batch, at the same rate
    return new Run(n / ingestSeconds, n / scoreSeconds, n / (ingestSeconds + scoreSeconds), cpu / 1e3 / n);
  }

  private static double quantile(List<Run> runs, java.util.function.ToDoubleFunction<Run> f, double q) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v[(int) Math.min(v.length - 1, Math.round(q * (v.length - 1)))];
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
