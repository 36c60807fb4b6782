package dev.pulse.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The image archives this build wrote (jib:buildTar in each deployable's target/, see hack/images/README.md). The suite
 * loads what the minimal samples run: the operator, the ingester, the dashboard and the Kafka broker.
 */
final class ImageArchives {

  static final List<String> SUITE = List.of("pulse-operator", "pulse-ingester", "pulse-dashboard", "pulse-kafka");

  private ImageArchives() {}

  static List<Path> forSuite() {
    List<Path> found = new ArrayList<>();
    for (String image : SUITE) {
      found.add(find(image));
    }
    return found;
  }

  static Path find(String image) {
    Path root = Commands.repoRoot();
    try (Stream<Path> files = Files.find(root, 5, (p, a) -> a.isRegularFile()
        && p.getFileName().toString().equals(image + ".tar") && p.toString().contains("/target/"))) {
      return files.max(Comparator.comparingLong(ImageArchives::modified)).orElseThrow(() -> new IllegalStateException(
          "no " + image + ".tar under any target/: build the images first (./mvnw verify builds them in package)"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot search " + root + " for image archives", e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
