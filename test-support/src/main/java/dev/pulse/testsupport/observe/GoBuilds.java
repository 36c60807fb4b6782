package dev.pulse.testsupport.observe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Go binaries tests run (Prometheus, Jaeger), built or found in their cache by the repository's own scripts
 * under {@code hack/observability/}: the test that needs one calls the script, so a clean clone needs nothing else
 * but Go.
 */
public final class GoBuilds {
  private GoBuilds() {}

  /** The script could not build: Go is not installed (a test may skip on it, and say so). */
  public static final class Unavailable extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  /**
   * Runs {@code hack/observability/<script>} (a cold build takes minutes; a cached one returns at once) and returns
   * the directory it prints; {@link Unavailable} when the binary is not cached and Go is missing to build it.
   */
  public static synchronized Path build(String script) {
    Path scriptPath = repoRoot().resolve("hack/observability").resolve(script);
    try {
      Path log = Files.createTempFile("pulse-" + script, ".log");
      Process p = new ProcessBuilder("bash", scriptPath.toString()).directory(repoRoot().toFile())
          .redirectErrorStream(false).redirectError(log.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        String err = Files.readString(log);
        String failed = script + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "); its log:\n" + err;
        // The scripts' own words when `go` is not on the PATH.
        throw err.contains("Go is required") ? new Unavailable(failed) : new IllegalStateException(failed);
      }
      Files.deleteIfExists(log);
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

  /** The repository root: {@code -Dpulse.repo.root}, or the first directory above this one holding hack/observability. */
  static Path repoRoot() {
    String root = System.getProperty("pulse.repo.root");
    if (root != null) return Path.of(root);
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("hack/observability"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (no hack/observability above "
          + Path.of("").toAbsolutePath() + ")");
    }
    return dir;
  }
}
