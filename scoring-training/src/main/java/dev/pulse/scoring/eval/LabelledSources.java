package dev.pulse.scoring.eval;

import dev.pulse.labelled.LabelledTopic;
import dev.pulse.labelled.LabelledTopicException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Labelled posts from a pipeline's labelled topic ({@code dev.pulse.event.LabelledExamples}: the LLM's confident
 * disagreements with the light scorer and analysts' corrections), or from a JSON Lines file of the same records.
 * A source is {@code kafka://HOST:PORT/TOPIC} (read from the beginning to the end offsets it finds; one example per
 * post, the latest record winning, so an analyst's correction overrides the LLM's verdict) or a file path.
 */
public final class LabelledSources {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private LabelledSources() {}

  public static List<LabelledPost> read(String source) {
    if (!source.startsWith("kafka://")) {
      return Datasets.jsonl(Path.of(source));
    }
    try {
      Path tmp = Files.createTempFile("pulse-labelled-", ".jsonl");
      try {
        export(source, tmp);
        return Datasets.jsonl(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the source's records, one JSON object a line: the trainer's dataset layout, for a ModelAdapter's
   * ConfigMap or volume. Returns how many.
   */
  public static int export(String source, Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    if (source.startsWith("kafka://")) {
      URI uri = URI.create(source);
      String topic = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
      if (uri.getHost() == null || uri.getPort() < 0 || topic.isEmpty()) {
        throw new DataException(source + ": expected kafka://HOST:PORT/TOPIC");
      }
      lines.addAll(readTopic(uri.getHost() + ":" + uri.getPort(), topic));
    } else {
      for (String line : Files.readAllLines(Path.of(source), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) lines.add(line.strip());
      }
    }
    if (lines.isEmpty()) throw new DataException(source + ": no labelled posts");
    Files.write(out, lines, StandardCharsets.UTF_8);
    return lines.size();
  }

  /** Every record of the topic up to the end offsets found at the start, the latest per post ({@link LabelledTopic}). */
  static List<String> readTopic(String bootstrapServers, String topic) {
    try {
      return new LabelledTopic(bootstrapServers, topic, Map.of(), READ_TIMEOUT).lines();
    } catch (LabelledTopicException e) {
      throw new DataException(e.getMessage());
    }
  }
}
