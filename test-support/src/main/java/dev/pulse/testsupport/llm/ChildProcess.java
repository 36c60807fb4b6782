package dev.pulse.testsupport.llm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server run as a child process (its output in a log file), ready once an HTTP GET answers 200. Closing it stops
 * the process and all its descendants (a launcher script's children too): SIGTERM, then SIGKILL after a grace period.
 */
final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ChildProcess start(String name, List<String> command, Path directory, Map<String, String> env, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    ChildProcess child = new ChildProcess(name, pb.start(), log);
    // A JVM that ends without closing (Ctrl-C, a test JVM's exit) must not leave the server behind.
    Runtime.getRuntime().addShutdownHook(new Thread(child::stopQuietly, "stop-" + name));
    return child;
  }

  /** Waits until {@code url} answers 200; fails early when the process exits, with the end of its log. */
  void awaitReady(URI url, Duration deadline) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with " + process.exitValue() + " before it was ready; its log ("
            + log + ") ends with:\n" + tail());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    close();
    throw new IOException(name + " was not ready at " + url + " within " + deadline + "; its log (" + log
        + ") ends with:\n" + tail());
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    stopQuietly();
  }

  private void stopQuietly() {
    List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        all.forEach(ProcessHandle::destroyForcibly);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      all.forEach(ProcessHandle::destroyForcibly);
    }
    all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
