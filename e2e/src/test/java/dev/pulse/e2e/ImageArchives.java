package dev.pulse.e2e;

import dev.pulse.testing.K8sBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The image archives this build wrote: jib:buildTar puts each one at target/images/<name>.tar under the repository
 * root (hack/images/README.md). The suite loads what the minimal samples run: the operator, the ingester, the Spark
 * job (driver and executors), the dashboard and the Kafka broker.
 */
final class ImageArchives {

  static final List<String> SUITE = List.of("pulse-operator", "pulse-ingester", "pulse-dashboard", "pulse-kafka",
      "pulse-spark-job");

  private ImageArchives() {}

  static List<Path> forSuite() {
    return SUITE.stream().map(ImageArchives::find).toList();
  }

  static Path find(String image) {
    Path archive = K8sBinaries.repoRoot().resolve("target/images/" + image + ".tar");
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("no " + archive + ": build the images first (./mvnw verify builds them in "
          + "package, hack/images/build-images.sh alone)");
    }
    return archive;
  }
}
