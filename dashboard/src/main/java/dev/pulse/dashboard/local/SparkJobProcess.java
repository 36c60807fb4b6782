package dev.pulse.dashboard.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  static SparkJobProcess start(Path repo, String bootstrap, LocalPipeline.Topics topics, String deadLetters,
      int windowSeconds, boolean embeddings, List<String> crisisWords, Path work) throws IOException {
    Path launcher = repo.resolve("pulse");
    if (!Files.isExecutable(launcher)) {
      throw new IOException("--engine spark runs ./pulse spark from the Pulse source tree, and " + launcher
          + " is not there");
    }
    Path glossary = work.resolve("glossary.json");
    Files.writeString(glossary, "{\"terms\":[],\"crisisKeywords\":[\"" + String.join("\",\"", crisisWords) + "\"]}");
    List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "spark",
        "--bootstrap-servers", bootstrap, "--pipeline", LocalRun.PIPELINE, "--input", topics.feed(),
        "--scored-topic", topics.scored(), "--aggregates-topic", topics.aggregates(), "--alerts-topic",
        topics.alerts(), "--dead-letter-topic", deadLetters, "--trigger-interval", "1s",
        // Real-time mode, as a cluster pipeline runs by default: a long-running task for the feed's partition, and
        // slots beside it for the aggregates query.
        "--trigger-mode", "RealTime", "--checkpoint-interval", "30s",
        "--crisis-window", (3 * windowSeconds) + "s", "--crisis-min-volume", "30", "--crisis-negative-ratio", "0.6",
        "--glossary", glossary.toString(), "--vector-store", "none",
        "--scoring-tier", embeddings ? "fast" : "lexicon", "--master", "local[3]",
        "--checkpoint", work.resolve("spark-checkpoints").toUri().toString()));
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

  /** The source tree this class was built in: dashboard/target/classes → the repository root. */
  static Path repoRoot() {
    try {
      Path classes = Path.of(LocalRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent().getParent().getParent();
    } catch (Exception e) {
      return Path.of(".").toAbsolutePath();
    }
  }
}
