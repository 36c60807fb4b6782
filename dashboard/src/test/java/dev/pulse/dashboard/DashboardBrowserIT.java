package dev.pulse.dashboard;

import static dev.pulse.dashboard.KafkaTestSupport.AGGREGATES;
import static dev.pulse.dashboard.KafkaTestSupport.ALERTS;
import static dev.pulse.dashboard.KafkaTestSupport.PIPELINE;
import static dev.pulse.dashboard.KafkaTestSupport.SCORED;
import static dev.pulse.dashboard.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.event.Geo;
import dev.pulse.event.Label;
import dev.pulse.event.Source;
import dev.pulse.event.TermCount;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.pulse.event.ScoredBy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs web/tests/dashboard.browser.mjs (Playwright in Debian's Chromium) against the backend started here with a
 * real KRaft broker. The script asks this test, over a small control server, to put records on the topics, so
 * "the chart updates" and "the alert shows within 1 s" are measured from the broker's acknowledgement.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "pulse.dashboard.pipeline=" + PIPELINE,
    "pulse.dashboard.kafka.scored-topic=" + SCORED,
    "pulse.dashboard.kafka.aggregates-topic=" + AGGREGATES,
    "pulse.dashboard.kafka.alerts-topic=" + ALERTS,
    "pulse.dashboard.vectors.embedder=hashing",
    "pulse.dashboard.brands=" + DashboardBrowserIT.BRANDS,
    "pulse.dashboard.history.bucket=10s",
    "pulse.dashboard.history.lookback=1h"})
class DashboardBrowserIT {
  static final String BRANDS = "Northwind Air=northwind air|northwindair,Tailspin Mobile=tailspin";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The second backend /restart starts against the same broker (a restarted dashboard), closed after the test. */
  private ConfigurableApplicationContext restarted;
  /** The backend /secured starts: cluster mode with a bearer token, closed after the test. */
  private ConfigurableApplicationContext secured;
  private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
  private final AtomicInteger nextWindow = new AtomicInteger(4);

  @LocalServerPort
  int port;

  /** A stand-in of the LLM gateway's explain and draft endpoints: it answers with what it was asked. */
  private static HttpServer gateway;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) throws IOException {
    registry.add("pulse.dashboard.kafka.bootstrap-servers", () -> KafkaTestSupport.broker().bootstrapServers());
    gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/v1/alerts/explain", ex -> {
      var asked = JSON.readTree(ex.getRequestBody());
      answer(ex, Map.of("alertId", asked.path("alertId").asText(), "summary", "LLM: " + asked.path("trigger").asText(),
          "drivers", List.of(asked.path("evidence").size() + " evidence posts"), "evidenceIds", List.of(),
          "source", "LLM"));
    });
    gateway.createContext("/v1/responses/draft", ex -> {
      var asked = JSON.readTree(ex.getRequestBody());
      answer(ex, Map.of("subjectId", asked.path("alert").path("id").asText(), "reply",
          "We are sorry: " + asked.path("alert").path("evidence").get(0).path("text").asText(), "tone", "apologetic",
          "glossaryUsed", List.of(), "examplesUsed", 0));
    });
    gateway.start();
    registry.add("pulse.dashboard.gateway.url", () -> "http://127.0.0.1:" + gateway.getAddress().getPort());
  }

  @Test
  void dashboardInChromium() throws Exception {
    Path web = Path.of(System.getProperty("pulse.web.dir", "web"));
    Path screenshots = Path.of(System.getProperty("pulse.screenshots.dir", "target/screenshots"));
    Files.createDirectories(screenshots);
    Files.deleteIfExists(screenshots.resolve("browser-test.log"));
    HttpServer control = controlServer();
    try {
      run(web, List.of("bash", "scripts/ensure-chromium.sh"), Map.of());
      int exit = run(web, List.of("node", "tests/dashboard.browser.mjs"), Map.of(
          "BASE_URL", "http://localhost:" + port,
          "CONTROL_URL", "http://127.0.0.1:" + control.getAddress().getPort(),
          "SCREENSHOTS", screenshots.toAbsolutePath().toString()));
      assertThat(exit).as("browser test exit code; its output:\n"
          + Files.readString(screenshots.resolve("browser-test.log"))).isZero();
      assertThat(screenshots.resolve("dashboard-loaded.png")).exists();
    } finally {
      control.stop(0);
      gateway.stop(0);
      if (restarted != null) {
        restarted.close();
      }
      if (secured != null) {
        secured.close();
      }
    }
  }

  /** Runs a command, echoing its output and keeping it in target/screenshots/browser-test.log for the report. */
  private static int run(Path dir, List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    Path log = Path.of(System.getProperty("pulse.screenshots.dir", "target/screenshots")).resolve("browser-test.log");
    try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
         var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
             java.nio.file.StandardOpenOption.APPEND)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        System.out.println("[browser] " + line);
        out.write(line);
        out.newLine();
      }
    }
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 5 minutes");
    }
    return p.exitValue();
  }

  private HttpServer controlServer() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/seed", ex -> answer(ex, seed()));
    server.createContext("/aggregate", ex -> {
      long count = JSON.readTree(ex.getRequestBody()).path("count").asLong(50);
      Instant start = base.plusSeconds(10L * nextWindow.getAndIncrement());
      send(AGGREGATES, "agg", Records.aggregate(PIPELINE, start, "*", "*", count / 2, count / 4,
          count - count / 2 - count / 4, -0.2, List.of(new TermCount("delay", count))));
      answer(ex, Map.of("windowStart", start.toString()));
    });
    server.createContext("/alert", ex -> {
      Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      send(ALERTS, "alert", Records.crisis(PIPELINE, start, List.of("x:seed-0", "x:seed-2")));
      answer(ex, Map.of("id", PIPELINE + ":CRISIS:" + start.toEpochMilli()));
    });
    // A restarted backend: a fresh process state reading the same topics from its look-back.
    server.createContext("/restart", ex -> {
      restarted = new SpringApplicationBuilder(DashboardApplication.class).run("--server.port=0",
          "--pulse.dashboard.pipeline=" + PIPELINE, "--pulse.dashboard.kafka.scored-topic=" + SCORED,
          "--pulse.dashboard.kafka.aggregates-topic=" + AGGREGATES, "--pulse.dashboard.kafka.alerts-topic=" + ALERTS,
          "--pulse.dashboard.kafka.bootstrap-servers=" + KafkaTestSupport.broker().bootstrapServers(),
          "--pulse.dashboard.vectors.embedder=hashing", "--pulse.dashboard.brands=" + BRANDS,
          "--pulse.dashboard.history.bucket=10s", "--pulse.dashboard.history.lookback=1h",
          "--spring.main.banner-mode=off");
      int restartedPort = ((ServletWebServerApplicationContext) restarted).getWebServer().getPort();
      answer(ex, Map.of("url", "http://localhost:" + restartedPort));
    });
    // A backend as a cluster runs it with auth: the page must get a ticket for the WebSocket with the token.
    server.createContext("/secured", ex -> {
      String token = "browser-token-" + java.util.UUID.randomUUID();
      secured = new SpringApplicationBuilder(DashboardApplication.class).run("--server.port=0",
          "--pulse.dashboard.mode=cluster", "--pulse.dashboard.auth.token=" + token,
          "--pulse.dashboard.pipeline=" + PIPELINE, "--pulse.dashboard.kafka.scored-topic=" + SCORED,
          "--pulse.dashboard.kafka.aggregates-topic=" + AGGREGATES, "--pulse.dashboard.kafka.alerts-topic=" + ALERTS,
          "--pulse.dashboard.kafka.bootstrap-servers=" + KafkaTestSupport.broker().bootstrapServers(),
          "--pulse.dashboard.vectors.embedder=none", "--pulse.dashboard.brands=" + BRANDS,
          "--spring.main.banner-mode=off");
      int securedPort = ((ServletWebServerApplicationContext) secured).getWebServer().getPort();
      answer(ex, Map.of("url", "http://localhost:" + securedPort, "token", token));
    });
    server.start();
    return server;
  }

  /** A few minutes of a small pipeline: posts from three sources and places, windows, per-source rows. */
  private Map<String, Object> seed() {
    String[][] texts = {
        {"Northwind Air cancelled my flight again, awful service", "NEGATIVE"},
        {"Lovely crew on the Northwind Air flight to Dublin", "POSITIVE"},
        {"Northwind Air delays at Heathrow, two hours and counting", "NEGATIVE"},
        {"Northwind Air publishes its winter timetable", "NEUTRAL"},
        {"Great legroom and friendly staff with Northwind Air", "POSITIVE"},
        {"Lost luggage with Northwind Air, nobody answers the phone", "NEGATIVE"}};
    Geo[] places = {new Geo(51.47, -0.45, "GB", "London"), new Geo(40.64, -73.78, "US", "New York"),
        new Geo(53.35, -6.26, "IE", "Dublin")};
    Source[] sources = {Source.X, Source.REDDIT, Source.RSS};
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      String[] t = texts[i % texts.length];
      Label label = Label.valueOf(t[1]);
      double score = label == Label.NEGATIVE ? -0.7 : label == Label.POSITIVE ? 0.7 : 0;
      String id = "x:seed-" + i;
      send(SCORED, id, Records.scored(id, sources[i % 3], t[0], label, score, places[i % 3]));
      ids.add(id);
    }
    List<TermCount> terms = List.of(new TermCount("delays", 12), new TermCount("crew", 8),
        new TermCount("luggage", 6), new TermCount("legroom", 5), new TermCount("timetable", 3));
    for (int w = 0; w < 4; w++) {
      Instant start = base.plusSeconds(10L * w);
      send(AGGREGATES, "agg", Records.aggregate(PIPELINE, start, "*", "*", 4 + w, 3, 5 - w, 0.1 - w * 0.1, terms));
      if (w < 2) {
        send(AGGREGATES, "agg", Records.aggregate(PIPELINE, start, "X", "*", 2, 1, 3, 0.2, List.of()));
        send(AGGREGATES, "agg", Records.aggregate(PIPELINE, start, "REDDIT", "*", 2, 1, 1, -0.1, List.of()));
      }
    }
    List<Map<String, Object>> posts = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      String[] t = texts[i % texts.length];
      posts.add(Map.of("id", "x:seed-" + i, "brand", "Northwind Air", "label", t[1], "previous", false));
    }
    // Tailspin Mobile: six posts now (one scored by the LLM, with its rationale) and four 20 minutes ago, in the
    // window before a 15-minute one, for the period-over-period change.
    String[][] tailspin = {
        {"Tailspin dropped my calls all morning", "NEGATIVE"}, {"Tailspin roaming prices are a scam", "NEGATIVE"},
        {"Tailspin updates its price list", "NEUTRAL"}, {"Tailspin coverage in Dublin is superb", "POSITIVE"},
        {"Loving the new Tailspin eSIM, setup took a minute", "POSITIVE"},
        {"Tailspin support fixed my roaming in minutes, sick service", "POSITIVE"}};
    Instant now = Instant.now();
    for (int i = 0; i < tailspin.length; i++) {
      Label label = Label.valueOf(tailspin[i][1]);
      double score = label == Label.NEGATIVE ? -0.6 : label == Label.POSITIVE ? 0.6 : 0;
      boolean llm = i == tailspin.length - 1;
      String id = "x:tailspin-" + i;
      send(SCORED, id, Records.scored(id, sources[i % 3], tailspin[i][0], label, score, places[i % 3], now,
          llm ? ScoredBy.LLM : ScoredBy.LIGHT, llm ? "'sick' is praise here: support fixed the problem fast" : null));
      posts.add(Map.of("id", id, "brand", "Tailspin Mobile", "label", tailspin[i][1], "previous", false));
    }
    for (int i = 0; i < 4; i++) {
      String id = "x:tailspin-old-" + i;
      send(SCORED, id, Records.scored(id, Source.RSS, "Tailspin tops the network speed survey", Label.POSITIVE, 0.7,
          null, now.minusSeconds(1200), ScoredBy.LIGHT, null));
      posts.add(Map.of("id", id, "brand", "Tailspin Mobile", "label", "POSITIVE", "previous", true));
    }
    return Map.of("posts", posts);
  }

  private static void answer(HttpExchange ex, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
