package dev.pulse.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code ./pulse bench pipeline} (spark-local: the same Spark job in local mode, {@code local[2]}, against a broker in
 * its JVM) at the cluster bench's rates, as a child process of this one, with the minimal sample's trigger and scoring
 * tier; its table is read back into {@link LocalRun}s.
 */
final class LocalPipelineBench {

  /** One row of its table: a rate it replayed (unfinished: the posts did not all come back in time). */
  record LocalRun(int rate, int posts, double achieved, Latency latency, boolean finished) implements RateRun {}

  private LocalPipelineBench() {}

  /**
   * Its command line. {@code tier}: the pipeline's scoring tier (lexicon runs without embeddings, the others with);
   * {@code triggerMode}/{@code triggerInterval}: the pipeline's Spark trigger.
   */
  static List<String> command(Path repoRoot, List<Integer> rates, int seconds, String tier, String triggerMode,
      String triggerInterval) {
    List<String> command = new ArrayList<>(List.of(repoRoot.resolve("pulse").toString(), "bench", "pipeline",
        "--rates", rates.stream().map(String::valueOf).collect(Collectors.joining(",")),
        "--seconds", String.valueOf(seconds), "--trigger-mode", triggerMode, "--trigger-interval", triggerInterval,
        "--model-shares", "none"));
    if ("lexicon".equals(tier)) {
      command.addAll(List.of("--embeddings", "off"));
    } else {
      command.addAll(List.of("--embeddings", "on", "--scoring-tier", tier));
    }
    return command;
  }

  /**
   * Runs it, each line of its output echoed to {@code progress}; returns its Spark rows. Throws with the output's
   * tail when it fails.
   */
  static List<LocalRun> run(List<String> command, Path workDir, Duration timeout, PrintStream progress)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    Thread stop = new Thread(() -> {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }, "pulse-bench-local-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    List<String> lines = new ArrayList<>();
    try {
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            synchronized (lines) {
              lines.add(line);
            }
            progress.println("[local] " + line);
          }
        } catch (IOException e) {
          progress.println("[local] (output ended: " + e.getMessage() + ")");
        }
      }, "pulse-bench-local-output");
      reader.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
      }
      reader.join(10_000);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n"
            + tail(lines));
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now
      }
    }
    List<LocalRun> runs = parse(String.join("\n", lines));
    if (runs.isEmpty()) {
      throw new IllegalStateException("no Spark rows in the output of " + String.join(" ", command) + ":\n"
          + tail(lines));
    }
    return runs;
  }

  /**
   * Its table's Spark rows: {@code <run name> <rate> <posts> <posts/s> <p50> <p95> <p99>}, the name free text
   * starting with "spark", "-" for what an unfinished run did not measure.
   */
  static List<LocalRun> parse(String output) {
    List<LocalRun> out = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.startsWith("spark ")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length < 8) {
        continue;
      }
      String[] n = Arrays.copyOfRange(f, f.length - 6, f.length);
      try {
        boolean unfinished = line.contains("(unfinished)") || n[2].equals("-");
        out.add(new LocalRun(Integer.parseInt(n[0]), Integer.parseInt(n[1]),
            unfinished ? 0 : Double.parseDouble(n[2]),
            unfinished ? Latency.NONE : new Latency(Long.parseLong(n[3]), Long.parseLong(n[4]), Long.parseLong(n[5])),
            !unfinished));
      } catch (NumberFormatException notARow) {
        // a progress line that happens to start with "spark "
      }
    }
    return out;
  }

  private static String tail(List<String> lines) {
    synchronized (lines) {
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
  }
}
