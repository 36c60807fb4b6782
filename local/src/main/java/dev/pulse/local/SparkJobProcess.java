package dev.pulse.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Spark job in local mode for {@code ./pulse local --engine spark}: {@code ./pulse spark …} in a JVM of its own
 * (Spark's classpath stays apart from Spring Boot's), reading the feed topic and writing the output topics the
 * dashboard reads. Its log goes to a file; closing it sends SIGTERM and waits, then kills.
 */
final class SparkJobProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private SparkJobProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code ./pulse spark} with the local run's settings ({@code conf}: spark.pulse.* keys) as --conf options. */
  static SparkJobProcess start(Path repo, Map<String, String> conf, Path work) throws IOException {
    Path launcher = repo.resolve("pulse");
    if (!Files.isExecutable(launcher)) {
      throw new IOException("--engine spark runs ./pulse spark from the Pulse source tree, and " + launcher
          + " is not there");
    }
    // local[3]: a long-running task for the feed's partition in real-time mode, and slots beside it for the
    // aggregates query.
    List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "spark", "--master", "local[3]"));
    conf.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    Path log = work.resolve("spark-job.log");
    Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    return new SparkJobProcess(p, log);
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** The source tree this class was built in: local/target/classes → the repository root. */
  static Path repoRoot() {
    try {
      Path classes = Path.of(LocalRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent().getParent().getParent();
    } catch (Exception e) {
      return Path.of(".").toAbsolutePath();
    }
  }
}
