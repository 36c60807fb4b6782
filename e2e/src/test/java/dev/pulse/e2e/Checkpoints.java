package dev.pulse.e2e;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A Structured Streaming query's checkpoint as the Spark pods wrote it on the pipeline's claim, read from the node's
 * disk (the claim is bound to one of the cluster's hostPath volumes, and this suite runs on the node). A query is
 * between batches when its last planned batch (offsets/N) is also committed (commits/N): stopping it then loses
 * nothing and re-runs nothing.
 */
final class Checkpoints {

  private Checkpoints() {}

  /** The directory of one query's checkpoint: &lt;volume&gt;/&lt;pipeline&gt;/&lt;query&gt;. */
  static Path queryDir(KubernetesClient client, String namespace, String claim, String pipeline, String query) {
    PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
    if (pvc == null || pvc.getSpec().getVolumeName() == null) {
      throw new IllegalStateException("claim " + namespace + "/" + claim + " is not bound");
    }
    PersistentVolume pv = client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
    if (pv.getSpec().getHostPath() == null) {
      throw new IllegalStateException("volume " + pv.getMetadata().getName() + " is not a hostPath volume");
    }
    return Path.of(pv.getSpec().getHostPath().getPath(), pipeline, query);
  }

  /** True when the last planned batch is committed. */
  static boolean betweenBatches(Path queryDir) throws IOException {
    OptionalLong planned = latest(queryDir.resolve("offsets"));
    OptionalLong committed = latest(queryDir.resolve("commits"));
    return planned.isPresent() && committed.isPresent() && planned.getAsLong() == committed.getAsLong();
  }

  static OptionalLong latest(Path logDir) throws IOException {
    if (!Files.isDirectory(logDir)) {
      return OptionalLong.empty();
    }
    try (Stream<Path> files = Files.list(logDir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9]+"))
          .mapToLong(Long::parseLong).max();
    }
  }
}
