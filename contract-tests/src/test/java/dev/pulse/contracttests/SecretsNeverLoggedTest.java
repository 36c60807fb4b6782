package dev.pulse.contracttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.operator.cli.Renderer;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.FreePorts;
import dev.pulse.testsupport.SecretScan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never reach a log. Known values are planted where the product reads them: the Secrets the operator's own
 * rendering points each workload at (the dashboard token, the LLM gateway token, the Qdrant API key, the Kafka SASL
 * password) are resolved to fresh random values, and the real dashboard and ingester run as child JVMs, as their
 * images run them (their runtime classpath, the environment the operator gives them; the dashboard with Pulse's
 * loggers at DEBUG, the ingester with its image's logging).
 * The dashboard is called with the right token, a wrong one, for a live ticket and for an LLM explanation (which
 * sends the gateway token to a gateway that is not there); the ingester tries its SASL Kafka, which is not there
 * either. Then every line both wrote (stdout and stderr together, and any log file in their working directories) is
 * searched for every planted value, as it is and in Base64.
 */
class SecretsNeverLoggedTest {

  private static final Path REPO = Samples.dir().getParent().getParent();
  private final SecretScan scan = new SecretScan();
  private final Map<String, String> secretValues = new HashMap<>();

  /** A value for the Secret key {@code name/key}, planted under {@code what}. */
  private void plant(String what, String secretName, String key) {
    String value = SecretScan.newValue(what.replace(' ', '-'));
    scan.plant(what, value);
    secretValues.put(secretName + "/" + key, value);
  }

  @Test
  void noPlantedSecretReachesTheLogsOfTheDashboardOrTheIngester(@TempDir Path work) throws Exception {
    List<HasMetadata> objects = render(work);
    Deployment dashboard = deployment(objects, "northwind-dashboard");
    Deployment ingester = deployment(objects, "secure-feed-ingester");
    plant("dashboard token", "pulse-dashboard-token", "token");
    plant("gateway token", "northwind-gateway-token", "token");
    plant("Qdrant API key", "qdrant-api", "api-key");
    plant("SASL password", "kafka-password", "password");
    plant("pipeline SASL password", "pipeline-kafka-password", "password");
    // Every Secret the two workloads read is planted: a reference left unresolved would fail env() below.
    Map<String, String> dashboardEnv = env(dashboard);
    assertThat(dashboardEnv).containsKeys("PULSE_DASHBOARD_TOKEN", "PULSE_GATEWAY_TOKEN", "PULSE_QDRANT_API_KEY",
        "PULSE_KAFKA_SASL_PASSWORD");
    Map<String, String> ingesterEnv = env(ingester);
    assertThat(ingesterEnv).containsKey("KAFKA_SASL_PASSWORD");

    List<Path> logs = new ArrayList<>();
    logs.add(runDashboard(work.resolve("dashboard"), dashboardEnv));
    logs.add(runIngester(work.resolve("ingester"), ingesterEnv, configMap(objects, "secure-feed-ingester")));
    try (var files = Files.walk(work)) {
      files.filter(f -> f.toString().endsWith(".log") && !logs.contains(f)).forEach(logs::add);
    }
    for (Path log : logs) {
      assertThat(Files.size(log)).as("%s wrote something to scan", log.getFileName()).isPositive();
    }
    assertThat(scan.findings(logs)).as("planted secrets found in the logs").isEmpty();
  }

  /**
   * The LLM gateway and the Spark job's driver, the other two readers of these Secrets. The gateway, with Pulse's
   * loggers at DEBUG, gets an authenticated health check and classify call (the planted token; both call the absent
   * Qdrant with the planted API key, the classify call the absent vLLM too) and a call with a wrong token. The driver
   * runs in local mode with the sparkConf and driver environment the operator renders, Pulse's and Kafka's loggers at
   * DEBUG: it builds its Kafka admin client with the planted SASL password and waits for its feed topics on the
   * closed port, which is where it stays (the queries, and with them the gateway client, start only once the topics
   * are there).
   */
  @Test
  void noPlantedSecretReachesTheLogsOfTheGatewayOrTheSparkDriver(@TempDir Path work) throws Exception {
    List<HasMetadata> objects = render(work);
    plant("gateway token", "northwind-gateway-token", "token");
    plant("Qdrant API key", "qdrant-api", "api-key");
    plant("pipeline SASL password", "pipeline-kafka-password", "password");
    Map<String, String> gatewayEnv = env(gatewayDeployment(objects).getSpec().getTemplate().getSpec());
    assertThat(gatewayEnv).containsKeys("PULSE_GATEWAY_TOKEN", "PULSE_QDRANT_API_KEY");
    SparkApplication job = objects.stream().filter(SparkApplication.class::isInstance).map(SparkApplication.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no SparkApplication rendered"));
    Map<String, String> driverEnv = env(job.getSpec().getDriver().getTemplate().getSpec());
    assertThat(driverEnv).containsKeys("PULSE_GATEWAY_TOKEN", "PULSE_QDRANT_API_KEY", "PULSE_KAFKA_SASL_PASSWORD");

    List<Path> logs = new ArrayList<>();
    logs.add(runGateway(work.resolve("gateway"), gatewayEnv));
    logs.add(runSparkDriver(work.resolve("spark"), driverEnv, job.getSpec().getSparkConf()));
    try (var files = Files.walk(work)) {
      files.filter(f -> f.toString().endsWith(".log") && !logs.contains(f)).forEach(logs::add);
    }
    for (Path log : logs) {
      assertThat(Files.size(log)).as("%s wrote something to scan", log.getFileName()).isPositive();
    }
    assertThat(scan.findings(logs)).as("planted secrets found in the logs").isEmpty();
  }

  /** The northwind sample pipeline and a replay feed, each on a SASL_PLAINTEXT Kafka, rendered by the operator. */
  private static List<HasMetadata> render(Path work) throws Exception {
    Path in = Files.createDirectories(work.resolve("resources"));
    int kafka = closedPort(); // one (absent) Kafka for the feed and the pipeline: the pipeline reads the feed's topic
    // The pipeline on a SASL_PLAINTEXT Kafka too (spec.kafka.security): the dashboard's consumer gets the password.
    String pipeline = Files.readString(Samples.dir().resolve("sentimentpipeline-northwind.yaml"));
    assertThat(pipeline).contains("    clusterName: pulse-kafka\n");
    Files.writeString(in.resolve("pipeline.yaml"), pipeline.replace("    clusterName: pulse-kafka\n", """
            bootstrapServers: 127.0.0.1:%d
            security:
              protocol: SASL_PLAINTEXT
              sasl:
                username: pulse-stream
                passwordSecret:
                  name: pipeline-kafka-password
        """.formatted(kafka)));
    Files.writeString(in.resolve("feed.yaml"), """
        apiVersion: pulse.dev/v1alpha1
        kind: SourceFeed
        metadata:
          name: secure-feed
          labels:
            pulse.dev/brand: northwind
        spec:
          type: REPLAY
          replay:
            path: /data/replay/posts.jsonl
            ratePerSecond: 5
            loop: true
          kafka:
            bootstrapServers: 127.0.0.1:%d
            partitions: 1
            replicas: 1
            security:
              protocol: SASL_PLAINTEXT
              sasl:
                mechanism: PLAIN
                username: pulse
                passwordSecret:
                  name: kafka-password
        """.formatted(kafka));
    Renderer renderer = new Renderer(PulseImages.defaults(), "team-a", new PrintStream(OutputStream.nullOutputStream()));
    return renderer.objects(renderer.read(in));
  }

  private static Deployment deployment(List<HasMetadata> objects, String name) {
    return objects.stream().filter(o -> o instanceof Deployment && o.getMetadata().getName().equals(name))
        .map(Deployment.class::cast).findFirst().orElseThrow(() -> new AssertionError("no Deployment " + name));
  }

  private static ConfigMap configMap(List<HasMetadata> objects, String name) {
    return objects.stream().filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(name))
        .map(ConfigMap.class::cast).findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + name));
  }

  /** The LLM gateway's Deployment: the one whose container the operator points at a vLLM server. */
  private static Deployment gatewayDeployment(List<HasMetadata> objects) {
    return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .filter(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .anyMatch(e -> e.getName().equals("PULSE_VLLM_BASE_URL")))
        .findFirst().orElseThrow(() -> new AssertionError("no LLM gateway Deployment rendered"));
  }

  private Map<String, String> env(Deployment d) {
    return env(d.getSpec().getTemplate().getSpec());
  }

  /** The first container's environment with each secretKeyRef resolved to its planted value, as the kubelet would. */
  private Map<String, String> env(PodSpec pod) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : pod.getContainers().get(0).getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        String value = secretValues.get(ref.getName() + "/" + ref.getKey());
        assertThat(value).as("planted value for Secret %s key %s (%s)", ref.getName(), ref.getKey(), e.getName())
            .isNotNull();
        env.put(e.getName(), value);
      }
    }
    env.remove("JAVA_TOOL_OPTIONS"); // the pod's heap and tmpdir settings; this JVM's own are fine here
    return env;
  }

  private Path runDashboard(Path dir, Map<String, String> env) throws Exception {
    int port = freePort();
    int nowhere = closedPort();
    env.put("PORT", Integer.toString(port));
    env.put("PULSE_DASHBOARD_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + nowhere);
    env.put("PULSE_DASHBOARD_VECTORS_QDRANT_HOST", "127.0.0.1");
    env.put("PULSE_DASHBOARD_VECTORS_QDRANT_PORT", Integer.toString(nowhere));
    env.put("PULSE_DASHBOARD_GATEWAY_URL", "http://127.0.0.1:" + nowhere);
    env.put("LOGGING_LEVEL_DEV_PULSE", "DEBUG");
    Path log = Files.createDirectories(dir).resolve("dashboard.log");
    Process p = start(dir, "dashboard", "dev.pulse.dashboard.DashboardApplication", List.of(), env, log);
    try {
      String base = "http://127.0.0.1:" + port;
      awaitUp(p, URI.create(base + "/actuator/health/liveness"), log);
      String token = env.get("PULSE_DASHBOARD_TOKEN");
      assertThat(call("GET", base + "/api/pipelines", token)).isEqualTo(200);
      assertThat(call("GET", base + "/api/pipelines", token + "x")).isEqualTo(401);
      assertThat(call("GET", base + "/api/pipelines?access_token=" + token, null)).isEqualTo(401);
      assertThat(call("POST", base + "/api/live-ticket", token)).isEqualTo(200);
      // Sends the gateway token to a gateway that is not there: the failure is logged, the token must not be.
      call("POST", base + "/api/pipelines/northwind/alerts/a1/explain", token);
      Thread.sleep(3_000); // the Kafka consumer's and the vector store's retries write their lines meanwhile
    } finally {
      stop(p);
    }
    return log;
  }

  private Path runIngester(Path dir, Map<String, String> env, ConfigMap config) throws Exception {
    Files.createDirectories(dir);
    Path posts = dir.resolve("posts.jsonl");
    Files.writeString(posts, "{\"schemaVersion\":1,\"id\":\"replay:1\",\"source\":\"REPLAY\",\"text\":\"late again\","
        + "\"lang\":\"en\",\"createdAt\":\"2026-11-20T08:00:00Z\"}\n");
    String yaml = config.getData().get("ingest.yaml").replace("/data/replay/posts.jsonl", posts.toString());
    Path file = dir.resolve("ingest.yaml");
    Files.writeString(file, yaml);
    Path log = dir.resolve("ingester.log");
    Process p = start(dir, "ingest", "dev.pulse.ingest.cli.IngestCli", List.of("ingest", "--config", file.toString(),
        "--metrics-port", Integer.toString(freePort())), env, log);
    try {
      // Long enough for the producer to log its configuration and fail to reach the broker more than once.
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < end && p.isAlive()) {
        Thread.sleep(250);
      }
    } finally {
      stop(p);
    }
    return log;
  }

  private Path runGateway(Path dir, Map<String, String> env) throws Exception {
    int port = freePort();
    int nowhere = closedPort();
    env.put("PULSE_GATEWAY_PORT", Integer.toString(port));
    env.put("PULSE_VLLM_BASE_URL", "http://127.0.0.1:" + nowhere + "/v1");
    env.put("PULSE_QDRANT_HOST", "127.0.0.1");
    env.put("PULSE_QDRANT_PORT", Integer.toString(nowhere));
    env.keySet().removeIf(k -> k.startsWith("OTEL_")); // no collector here: tracing stays off
    env.put("LOGGING_LEVEL_DEV_PULSE", "DEBUG");
    Path log = Files.createDirectories(dir).resolve("gateway.log");
    Process p = start(dir, "llm-runtime", "dev.pulse.llm.GatewayApplication", List.of(), List.of(), env, log);
    try {
      String base = "http://127.0.0.1:" + port;
      awaitUp(p, URI.create(base + "/actuator/health/liveness"), log);
      String token = env.get("PULSE_GATEWAY_TOKEN");
      // Health details (the Qdrant check, with the API key) only for the token holder.
      assertThat(call("GET", base + "/actuator/health", token, null)).isIn(200, 503);
      assertThat(call("POST", base + "/v1/classify", token + "x", CLASSIFY)).isEqualTo(401);
      // Retrieval from the absent Qdrant (API key), then the absent vLLM: each failure is logged, no secret may be.
      assertThat(call("POST", base + "/v1/classify", token, CLASSIFY)).isBetween(200, 599);
      Thread.sleep(2_000);
    } finally {
      stop(p);
    }
    return log;
  }

  private static final String CLASSIFY = "{\"pipeline\":\"northwind\",\"posts\":[{\"id\":\"p1\","
      + "\"text\":\"my parcel is late again\",\"lightLabel\":\"NEGATIVE\",\"lightScore\":-0.4}]}";

  /**
   * The job's driver as {@code ./pulse spark} and spark-submit run it: local mode, the operator's sparkConf as system
   * properties (the checkpoints in this test's directory, no UI), the driver pod's environment, the Java 17 opens.
   */
  private Path runSparkDriver(Path dir, Map<String, String> env, Map<String, String> sparkConf) throws Exception {
    Files.createDirectories(dir);
    Path logback = dir.resolve("logback-debug.xml");
    Files.writeString(logback, """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>
          </appender>
          <logger name="dev.pulse" level="DEBUG"/>
          <logger name="org.apache.kafka" level="DEBUG"/>
          <logger name="org.apache.spark" level="INFO"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    List<String> jvm = new ArrayList<>(SPARK_OPENS);
    jvm.add("-Xmx1g"); // Spark refuses a driver heap under 450 MiB
    jvm.add("-Dlogback.configurationFile=" + logback);
    jvm.add("-Dspark.master=local[2]");
    jvm.add("-Dspark.ui.enabled=false");
    sparkConf.forEach((k, v) -> {
      if (k.startsWith("spark.pulse.")) {
        jvm.add("-D" + k + "=" + v);
      }
    });
    String checkpoints = dir.resolve("checkpoints").toUri().toString();
    jvm.add("-Dspark.pulse.checkpointLocation=" + checkpoints);
    jvm.add("-Dspark.sql.streaming.checkpointLocation=" + checkpoints);
    env.keySet().removeIf(k -> k.startsWith("OTEL_"));
    Path log = dir.resolve("spark-driver.log");
    Process p = start(dir, "spark-job", "dev.pulse.spark.SentimentStreamingJob", jvm, List.of(), env, log);
    try {
      // Long enough for the session to start and the SASL admin client to fail to reach the broker more than once.
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < end && p.isAlive()) {
        Thread.sleep(250);
      }
    } finally {
      stop(p);
    }
    assertThat(Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1))
        .as("the driver built its SASL Kafka client; its log:\n%s", tail(log)).contains("SASL_PLAINTEXT");
    return log;
  }

  /** What spark-submit (and ./pulse spark) opens for Spark on Java 17. */
  private static final List<String> SPARK_OPENS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
      "-Dio.netty.tryReflectionSetAccessible=true");

  private static Process start(Path dir, String module, String main, List<String> args, Map<String, String> env,
      Path log) throws IOException {
    return start(dir, module, main, List.of(), args, env, log);
  }

  /** A module's main class in a child JVM on that module's runtime classpath (what ./pulse and its image run). */
  private static Process start(Path dir, String module, String main, List<String> jvmArgs, List<String> args,
      Map<String, String> env, Path log) throws IOException {
    Path classes = REPO.resolve(module).resolve("target/classes");
    String classpath = classes + java.io.File.pathSeparator
        + Files.readString(REPO.resolve(module).resolve("target/classpath.txt")).trim();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m"));
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", classpath, main));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static void awaitUp(Process p, URI url, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < end) {
      assertThat(p.isAlive()).as("the process is running; its log:\n%s", tail(log)).isTrue();
      try {
        if (http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not up within 120 s; log:\n" + tail(log));
  }

  private static int call(String method, String url, String token) throws Exception {
    return call(method, url, token, null);
  }

  private static int call(String method, String url, String token, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static int freePort() throws IOException {
    return FreePorts.one();
  }

  /** A port nothing listens on (bound, then released): connections to it are refused at once. */
  private static int closedPort() throws IOException {
    return FreePorts.one();
  }
}
