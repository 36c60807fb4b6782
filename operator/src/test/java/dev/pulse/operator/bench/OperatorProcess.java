package dev.pulse.operator.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real operator (the Spring Boot application {@code ./pulse operator} runs, all three reconcilers, default
 * settings) in a JVM of its own, pointed at the bench's API server through a kubeconfig: its heap is then the
 * operator's alone, read from its own Micrometer metrics on {@code /actuator/prometheus}.
 */
public final class OperatorProcess implements AutoCloseable {

  private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)}\\s+([0-9.eE+-]+)$");

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private OperatorProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static OperatorProcess start(Path kubeconfig, Path log, List<String> jvmOptions) throws IOException {
    return start(kubeconfig, log, jvmOptions, Map.of());
  }

  /** With extra environment variables, e.g. PULSE_OPERATOR_LEADER_ELECTION=true (Spring Boot binds them). */
  public static OperatorProcess start(Path kubeconfig, Path log, List<String> jvmOptions, Map<String, String> env)
      throws IOException {
    OperatorProcess operator = launch(kubeconfig, log, jvmOptions, env);
    operator.awaitHealthy(log);
    return operator;
  }

  /** Starts the JVM without waiting for it to be healthy: a fault test kills it at any point of its life. */
  public static OperatorProcess launch(Path kubeconfig, Path log, List<String> jvmOptions, Map<String, String> env)
      throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath());
    command.add("dev.pulse.operator.OperatorApplication");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("PULSE_OPERATOR_PORT", Integer.toString(port));
    builder.environment().putAll(env);
    return new OperatorProcess(builder.start(), port);
  }

  /**
   * The classpath this bench runs with: under {@code exec:java} the project's classes are in the plugin's class
   * loader, not in java.class.path (which is Maven's own).
   */
  private static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (ClassLoader cl = OperatorProcess.class.getClassLoader(); cl != null; cl = cl.getParent()) {
      if (cl instanceof URLClassLoader urls) {
        for (var url : urls.getURLs()) {
          entries.add(Path.of(URI.create(url.toString())).toString());
        }
        break;
      }
    }
    if (entries.isEmpty()) {
      entries.add(System.getProperty("java.class.path"));
    }
    return String.join(File.pathSeparator, entries);
  }

  long pid() {
    return process.pid();
  }

  /** Kills the JVM at once (SIGKILL): no shutdown hook runs, so a Lease it holds is not released, as in a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  private void awaitHealthy(Path log) {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (get("/actuator/health").contains("\"UP\"")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      sleep(500);
    }
    throw new IllegalStateException("the operator was not healthy within 3 minutes; see " + log);
  }

  /** Sum of each Prometheus metric whose labels contain all the given label pairs, e.g. area="heap". */
  double metric(String name, String... labelPairs) throws IOException {
    double sum = 0;
    for (String line : get("/actuator/prometheus").split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (m.matches() && m.group(1).equals(name) && List.of(labelPairs).stream().allMatch(m.group(2)::contains)) {
        sum += Double.parseDouble(m.group(3));
      }
    }
    return sum;
  }

  /** pulse_operator_reconcile_seconds_count by "kind result" (the operator's own reconcile timer). */
  Map<String, Long> reconciles() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    Pattern label = Pattern.compile("(kind|result)=\"([^\"]*)\"");
    for (String line : get("/actuator/prometheus").split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (m.matches() && m.group(1).equals("pulse_operator_reconcile_seconds_count")) {
        Map<String, String> labels = new TreeMap<>();
        Matcher l = label.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
        out.merge(labels.get("kind") + " " + labels.get("result"), (long) Double.parseDouble(m.group(3)), Long::sum);
      }
    }
    return out;
  }

  /** A full GC in the operator (jcmd GC.run), so that the heap figure is what it keeps, not garbage not yet collected. */
  void fullGc() throws IOException, InterruptedException {
    jcmd("GC.run");
  }

  /** The head of jcmd GC.class_histogram: which classes hold the operator's heap. */
  List<String> classHistogram(int rows) throws IOException, InterruptedException {
    return jcmd("GC.class_histogram").lines().filter(l -> l.matches("\\s*\\d+:\\s+\\d+.*")).limit(rows).toList();
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid()), command).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes());
    if (jcmd.waitFor() != 0) {
      throw new IOException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  private String get(String path) throws IOException {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
