package dev.pulse.local.bench;

import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.testsupport.kafka.LocalKafka;
import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import dev.pulse.event.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pulse bench dashboard}: N concurrent WebSocket clients on this machine, and the time from an alert's
 * record being acknowledged by Kafka to its arrival at every client. The dashboard runs as its own JVM (as in a
 * pod), so its memory is its own; the broker and the clients share this JVM.
 */
@Command(name = "pulse bench dashboard", mixinStandardHelpOptions = true,
    description = "Fan-out latency of alerts to many WebSocket clients, and the dashboard's memory.")
public final class DashboardBench implements Callable<Integer> {
  private static final Pattern ALERT_ID = Pattern.compile("\"type\":\"alert\".*?\"id\":\"([^\"]+)\"");
  private static final String PIPELINE = "bench";

  @Option(names = "--clients", defaultValue = "1000", description = "WebSocket clients (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--alerts", defaultValue = "30", description = "Alerts to send (default ${DEFAULT-VALUE}).")
  int alerts;

  @Option(names = "--interval-ms", defaultValue = "300", description = "Pause between alerts (default ${DEFAULT-VALUE}).")
  int intervalMs;

  @Option(names = "--server-heap", defaultValue = "512m", description = "The dashboard JVM's -Xmx (default ${DEFAULT-VALUE}).")
  String serverHeap;

  @Option(names = "--warmup", defaultValue = "3",
      description = "Alerts sent first and not measured: the consumer's first fetch and the JIT (default ${DEFAULT-VALUE}).")
  int warmup;

  /** When Kafka acknowledged each measured alert, and when each client received it (System.nanoTime). */
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedQueue<Long>> arrivals = new ConcurrentHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.ERROR);
    }
    say("starting Kafka (KRaft, in this JVM) …");
    try (LocalKafka broker = LocalKafka.start()) {
      String prefix = "pulse.pipeline.bench." + PIPELINE + ".";
      KafkaTopics.ensure(broker.bootstrapServers(),
          List.of(prefix + "scored", prefix + "aggregates", prefix + "alerts"), 1);
      int port = dev.pulse.testsupport.FreePorts.one();
      Process server = startServer(broker.bootstrapServers(), port);
      HttpClient http = HttpClient.newHttpClient();
      try {
        awaitHealthy(http, port, server);
        Memory idle = memory(http, port, server);
        say(String.format("dashboard up on :%d (own JVM, -Xmx%s); idle: heap %d MiB, RSS %d MiB", port, serverHeap,
            idle.heapMiB(), idle.rssMiB()));

        List<WebSocket> sockets = connect(port);
        Thread.sleep(1000);
        Memory connected = memory(http, port, server);
        say(String.format("%d clients connected; server heap %d MiB, RSS %d MiB (+%d MiB RSS, ~%d KiB per client)",
            sockets.size(), connected.heapMiB(), connected.rssMiB(), connected.rssMiB() - idle.rssMiB(),
            (connected.rssMiB() - idle.rssMiB()) * 1024 / Math.max(1, sockets.size())));

        List<String> measured = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
          for (int i = 0; i < warmup + alerts; i++) {
            Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            String id = PIPELINE + ":CRISIS:" + start.toEpochMilli();
            arrivals.put(id, new ConcurrentLinkedQueue<>());
            Alert alert = Alert.of(AlertKind.CRISIS, PIPELINE, start, start.plusSeconds(30),
                Map.of("negativeRatio", 0.72, "count", 240.0), 0.6, List.of(), start);
            producer.send(new ProducerRecord<>(prefix + "alerts", id, EventJson.toBytes(alert))).get();
            long acked = System.nanoTime();
            if (i < warmup) {
              awaitAll(id, sockets.size(), 30);
            } else {
              sentAt.put(id, acked);
              measured.add(id);
            }
            Thread.sleep(Math.max(intervalMs, 2));
          }
        }
        for (String id : measured) {
          awaitAll(id, sockets.size(), 10);
        }
        Memory after = memory(http, port, server);
        report(sockets.size(), after);
        sockets.forEach(ws -> ws.abort());
      } finally {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
      }
    }
    return 0;
  }

  private void awaitAll(String id, int clients, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (arrivals.get(id).size() < clients && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private void report(int connected, Memory after) {
    // A client can read the alert a hair before the producer's get() returns: such a delivery counts as 0.
    long[] all = sentAt.entrySet().stream()
        .flatMap(e -> arrivals.get(e.getKey()).stream().map(t -> Math.max(0, t - e.getValue())))
        .mapToLong(Long::longValue).sorted().toArray();
    long[] last = sentAt.entrySet().stream().filter(e -> !arrivals.get(e.getKey()).isEmpty())
        .mapToLong(e -> Math.max(0, arrivals.get(e.getKey()).stream().mapToLong(Long::longValue).max().getAsLong()
            - e.getValue())).sorted().toArray();
    long expected = (long) connected * alerts;
    System.out.println();
    System.out.println("Dashboard fan-out: " + alerts + " alerts (after " + warmup + " warm-up) × " + connected + " WebSocket clients (this machine, "
        + Runtime.getRuntime().availableProcessors() + " cores)");
    System.out.printf("  deliveries            %d of %d%s%n", all.length, expected,
        all.length == expected ? "" : "  (" + (expected - all.length) + " missing)");
    System.out.printf("  Kafka ack → client    p50 %6.1f ms   p99 %6.1f ms   max %6.1f ms%n",
        ms(pct(all, 0.5)), ms(pct(all, 0.99)), ms(pct(all, 1.0)));
    System.out.printf("  Kafka ack → last one  p50 %6.1f ms   p99 %6.1f ms   (time until every client has it)%n",
        ms(pct(last, 0.5)), ms(pct(last, 0.99)));
    System.out.printf("  server memory         heap %d MiB, RSS %d MiB after the run%n", after.heapMiB(), after.rssMiB());
    System.out.printf("  goal p99 < 200 ms:    %s%n", ms(pct(all, 0.99)) < 200 && all.length == expected ? "met" : "NOT met");
  }

  private List<WebSocket> connect(int port) throws Exception {
    // A few HttpClients, so the clients' reads are spread over several selector threads.
    HttpClient[] pool = new HttpClient[8];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = HttpClient.newHttpClient();
    }
    List<WebSocket> sockets = new ArrayList<>(clients);
    URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
    long t0 = System.nanoTime();
    for (int from = 0; from < clients; from += 100) {
      List<CompletableFuture<WebSocket>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(clients, from + 100); i++) {
        batch.add(pool[i % pool.length].newWebSocketBuilder().buildAsync(uri, new Listener()));
      }
      for (CompletableFuture<WebSocket> f : batch) {
        sockets.add(f.get(30, TimeUnit.SECONDS));
      }
    }
    say(String.format("opened %d WebSockets in %.1f s", sockets.size(), (System.nanoTime() - t0) / 1e9));
    return sockets;
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      long now = System.nanoTime();
      partial.append(data);
      if (last) {
        Matcher m = ALERT_ID.matcher(partial);
        if (m.find()) {
          var queue = arrivals.get(m.group(1));
          if (queue != null) {
            queue.add(now);
          }
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  private Process startServer(String bootstrap, int port) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + serverHeap, "-cp", System.getProperty("java.class.path"),
        "dev.pulse.dashboard.DashboardApplication", "--server.port=" + port, "--pulse.dashboard.pipeline=" + PIPELINE,
        "--pulse.dashboard.namespace=bench", "--pulse.dashboard.kafka.bootstrap-servers=" + bootstrap,
        "--pulse.dashboard.vectors.embedder=none", "--logging.level.root=WARN",
        "--logging.level.org.apache.kafka=ERROR", "--server.tomcat.max-connections=4000"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static void awaitHealthy(HttpClient http, int port, Process server) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the dashboard process exited with " + server.exitValue());
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the dashboard did not become healthy in 120 s");
  }

  record Memory(long heapMiB, long rssMiB) {}

  private static Memory memory(HttpClient http, int port, Process server) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + port + "/actuator/metrics/jvm.memory.used?tag=area:heap")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("\"value\":([0-9.E]+)").matcher(body);
    long heap = m.find() ? (long) (Double.parseDouble(m.group(1)) / (1 << 20)) : -1;
    long rss = -1;
    Path status = Path.of("/proc/" + server.pid() + "/status");
    if (Files.exists(status)) {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    }
    return new Memory(heap, rss);
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  }

  private static double ms(long nanos) {
    return nanos < 0 ? Double.NaN : nanos / 1e6;
  }

  private static void say(String line) {
    System.out.println("pulse bench dashboard │ " + line);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DashboardBench()).execute(args)); // the launcher passes the options only
  }
}
