package dev.pulse.scoring.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The TweetEval validation split shipped in the jar (scoring/fixtures), copied to a temp dir to be read as files. */
final class BundledFixture {
  private BundledFixture() {}

  static Path tweetEvalVal() throws IOException {
    Path dir = Files.createTempDirectory("pulse-tweeteval-val");
    for (String f : new String[] {"val_text.txt", "val_labels.txt"}) {
      try (InputStream in = BundledFixture.class.getResourceAsStream("/scoring/fixtures/tweeteval-val/" + f)) {
        Files.write(dir.resolve(f), in.readAllBytes());
      }
      dir.resolve(f).toFile().deleteOnExit();
    }
    dir.toFile().deleteOnExit();
    return dir;
  }
}
