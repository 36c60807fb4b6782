package dev.pulse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the kube-apiserver and etcd binaries, building them with hack/build-k8s-binaries.sh when they
 * are missing (first run on a fresh machine: a few minutes; cached outside the repo afterwards).
 */
public final class K8sBinaries {

  private K8sBinaries() {}

  static Path ensure() throws IOException {
    String configured = System.getProperty("pulse.k8s.binDir");
    if (configured != null && isComplete(Paths.get(configured))) {
      return Paths.get(configured);
    }
    Path script = repoRoot().resolve("hack/build-k8s-binaries.sh");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("kube-apiserver/etcd binaries not found (pulse.k8s.binDir=" + configured
          + ") and " + script + " is missing to build them");
    }
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    if (configured != null) {
      // The script's cache layout is <root>/<k8s>-etcd<etcd>; keep the version the build asked for.
      String leaf = Paths.get(configured).getFileName().toString();
      builder.environment().put("PULSE_K8S_BIN_DIR", Paths.get(configured).getParent().toString());
      int sep = leaf.indexOf("-etcd");
      if (sep > 0) {
        builder.environment().put("PULSE_K8S_VERSION", leaf.substring(0, sep));
        builder.environment().put("PULSE_ETCD_VERSION", leaf.substring(sep + "-etcd".length()));
      }
    }
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes()).trim();
    try {
      if (process.waitFor() != 0) {
        throw new IllegalStateException("hack/build-k8s-binaries.sh failed with exit code " + process.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Path dir = Paths.get(out.substring(out.lastIndexOf('\n') + 1).trim());
    if (!isComplete(dir)) {
      throw new IllegalStateException("hack/build-k8s-binaries.sh did not produce the binaries in " + dir);
    }
    return dir;
  }

  /** The repository root: -Dpulse.repo.root (the build sets it), else the folder above holding hack/. */
  public static Path repoRoot() {
    String root = System.getProperty("pulse.repo.root");
    if (root != null) {
      return Paths.get(root);
    }
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("hack/build-k8s-binaries.sh"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (no hack/build-k8s-binaries.sh above "
          + Paths.get("").toAbsolutePath() + ")");
    }
    return dir;
  }

  private static boolean isComplete(Path dir) {
    return Files.isExecutable(dir.resolve("kube-apiserver")) && Files.isExecutable(dir.resolve("etcd"));
  }
}
