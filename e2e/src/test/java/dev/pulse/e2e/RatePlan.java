package dev.pulse.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ./pulse bench cluster} replays: the rates, how long each is held, and the replay file the sample feed
 * reads them from. The feed's ingester reads a ConfigMap (1 MiB at most) and its replay does not loop, so the one
 * file must hold every post of the sweep; {@link #check} says so before anything starts.
 */
record RatePlan(List<Integer> rates, int stepSeconds) {

  /** A ConfigMap holds 1 MiB (1,048,576 bytes) with its metadata: the posts get a little less. */
  static final int MAX_REPLAY_BYTES = 1_000_000;
  /** Per step, posts beyond rate × step: those sent while the ingester pod stops, and a margin. */
  static final int STEP_SLACK_SECONDS = 5;
  /**
   * Throughput is posts / (last scored − first sent), so a step of n = rate × s posts that kept up at latency L
   * shows n / (s + L) posts/s: s must be about 20 s for a latency under a second to show 95 % of the rate.
   */
  static final int MIN_STEP_SECONDS = 20;
  /** The SourceFeed CRD's bound on replay.ratePerSecond. */
  static final int MAX_RATE = 100_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  RatePlan {
    rates = List.copyOf(rates);
  }

  /** The plan, or an IllegalArgumentException that says what to change. */
  static RatePlan of(List<Integer> rates, int stepSeconds) {
    if (rates == null || rates.isEmpty()) {
      throw new IllegalArgumentException("--rates needs at least one rate");
    }
    for (int rate : rates) {
      if (rate < 1 || rate > MAX_RATE) {
        throw new IllegalArgumentException("--rates: " + rate + " is not a rate in posts/s between 1 and " + MAX_RATE);
      }
    }
    if (stepSeconds < MIN_STEP_SECONDS) {
      throw new IllegalArgumentException("--step-seconds must be at least " + MIN_STEP_SECONDS + ": "
          + stepSeconds);
    }
    return new RatePlan(rates, stepSeconds);
  }

  /** Posts the feed may send at this rate: the step plus the slack. */
  int postsFor(int rate) {
    return rate * (stepSeconds + STEP_SLACK_SECONDS);
  }

  int postsNeeded() {
    return rates.stream().mapToInt(this::postsFor).sum();
  }

  /**
   * The replay file: {@link #postsNeeded()} posts in Pulse's post schema, ids {@code bench:1…}, texts taken in turn
   * from {@code texts} (the TweetEval validation texts, as {@code ./pulse bench pipeline} replays). The ingester
   * stamps the feed and the ingest time on each.
   */
  String replayFile(List<String> texts, Instant createdAt) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("no texts to replay");
    }
    StringBuilder out = new StringBuilder();
    int posts = postsNeeded();
    for (int i = 1; i <= posts; i++) {
      Map<String, Object> post = new LinkedHashMap<>();
      post.put("schemaVersion", 1);
      post.put("id", "bench:" + i);
      post.put("source", "REPLAY");
      post.put("text", texts.get((i - 1) % texts.size()));
      post.put("lang", "en");
      post.put("createdAt", createdAt.toString());
      try {
        out.append(JSON.writeValueAsString(post)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  /** The file, or an IllegalArgumentException naming the longest step that fits when it is over the limit. */
  String check(String replayFile) {
    int bytes = replayFile.getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= MAX_REPLAY_BYTES) {
      return replayFile;
    }
    double perPost = (double) bytes / postsNeeded();
    int rateSum = rates.stream().mapToInt(Integer::intValue).sum();
    int fits = (int) Math.floor(MAX_REPLAY_BYTES / (perPost * rateSum)) - STEP_SLACK_SECONDS;
    throw new IllegalArgumentException(String.format(Locale.ROOT,
        "rates %s for %d s each need %d posts (%,d bytes), more than the feed's replay ConfigMap holds (%,d bytes): "
            + "%s", rates, stepSeconds, postsNeeded(), bytes, MAX_REPLAY_BYTES,
        fits >= MIN_STEP_SECONDS ? "use --step-seconds " + fits + " or less, or fewer rates"
            : "use fewer or lower rates"));
  }

  /** The TweetEval validation texts of the repository (scoring-training's fixtures), one a line. */
  static List<String> tweetEvalTexts(Path repoRoot) {
    Path file = repoRoot.resolve("scoring-training/src/main/resources/scoring/fixtures/tweeteval-val/val_text.txt");
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bench's texts " + file, e);
    }
  }
}
