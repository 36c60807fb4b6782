package dev.pulse.observability;

import dev.pulse.testing.K8sBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Go binaries these tests run, built (or found in the cache) by the repository's own scripts under
 * {@code hack/observability/}: the test that needs one calls the script, so a clean clone needs nothing else.
 */
final class GoBinaries {
  private GoBinaries() {}

  /** The directory holding {@code prometheus} and {@code promtool} (hack/observability/build-prometheus.sh). */
  static Path prometheus() {
    return build("build-prometheus.sh");
  }

  /** Runs the script (a cold build takes minutes; a cached one returns at once) and returns the directory it prints. */
  static synchronized Path build(String script) {
    Path root = K8sBinaries.repoRoot();
    Path scriptPath = root.resolve("hack/observability").resolve(script);
    try {
      Path log = Files.createTempFile("pulse-" + script, ".log");
      Process p = new ProcessBuilder("bash", scriptPath.toString()).directory(root.toFile())
          .redirectErrorStream(false).redirectError(log.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(script + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue())
            + "); its log:\n" + Files.readString(log));
      }
      List<String> lines = out.lines().toList();
      Path dir = Path.of(lines.get(lines.size() - 1));
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException(script + " printed " + dir + ", which is not a directory");
      }
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + scriptPath, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }
}
