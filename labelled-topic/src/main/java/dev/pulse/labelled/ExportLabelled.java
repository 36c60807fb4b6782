package dev.pulse.labelled;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Writes a labelled topic as the trainer's dataset (one JSON object a line): a ModelAdapter's init container, run as
 * {@code java -cp @/app/jib-classpath-file dev.pulse.labelled.ExportLabelled} from the spark-job image. On failure it
 * writes the trainer's failure report, {@code {"phase":"Failed","reason":"DatasetError","message":...}}, to the
 * termination log the operator reads, and exits 2 for bad input (missing or empty topic, fewer posts than
 * {@code --min-posts}, bad arguments: retrying cannot help) or 1 for anything else (a broker that did not answer).
 */
public final class ExportLabelled {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_INPUT = 2;
  static final Path DEFAULT_TERMINATION_LOG = Path.of("/dev/termination-log");

  static final String USAGE = """
      Usage: ExportLabelled --bootstrap-servers HOST:PORT[,...] --topic TOPIC --out FILE [--min-posts N]
                            [--timeout SECONDS] [--termination-log PATH]
      Reads the labelled topic to its end (latest record per post) and writes it to FILE, one JSON object a line.
        --min-posts N          fail (exit 2) with fewer posts than N (default 1)
        --timeout SECONDS      for the broker's answers and reading to the end (default 60)
        --termination-log PATH where a failure is reported as one JSON line (default /dev/termination-log when
                               writable, else none)
      Exit codes: 0 written, 2 bad input (missing or empty topic, too few posts, bad arguments), 1 other failures.""";

  private ExportLabelled() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The exit code; what it printed went to {@code out} and {@code err}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments parsed;
    try {
      parsed = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return EXIT_BAD_INPUT;
    }
    if (parsed == null) {
      out.println(USAGE);
      return EXIT_OK;
    }
    try {
      List<String> lines = new LabelledTopic(parsed.bootstrapServers, parsed.topic, Map.of(), parsed.timeout).lines();
      if (lines.size() < parsed.minPosts) {
        throw new LabelledTopicException(LabelledTopicException.Kind.TOO_FEW_POSTS, "kafka topic " + parsed.topic
            + " holds " + lines.size() + " labelled posts, fewer than the " + parsed.minPosts + " required");
      }
      Files.write(parsed.out, lines, StandardCharsets.UTF_8);
      out.println("wrote " + lines.size() + " labelled posts from " + parsed.topic + " to " + parsed.out);
      return EXIT_OK;
    } catch (LabelledTopicException e) {
      return fail(parsed.terminationLog, e.getMessage(), e.kind().isBadInput() ? EXIT_BAD_INPUT : EXIT_FAILED, err);
    } catch (IOException | RuntimeException e) {
      return fail(parsed.terminationLog, e.getClass().getSimpleName() + ": " + e.getMessage(), EXIT_FAILED, err);
    }
  }

  private static int fail(Path terminationLog, String message, int exitCode, PrintStream err) {
    err.println("labelled export failed: " + message);
    if (terminationLog != null) {
      try {
        Files.writeString(terminationLog, failureReport(message), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("could not write the termination log " + terminationLog + ": " + e.getMessage());
      }
    }
    return exitCode;
  }

  /** The trainer's failure report (TrainerReport in the operator), so the Training condition reads the same. */
  static String failureReport(String message) {
    return "{\"phase\":\"Failed\",\"reason\":\"DatasetError\",\"message\":\"" + escape(message) + "\"}\n";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : (s == null ? "" : s).toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private record Arguments(String bootstrapServers, String topic, Path out, int minPosts, Duration timeout,
      Path terminationLog) {

    /** The arguments, or null when help was asked for. */
    static Arguments parse(String[] args) {
      String bootstrap = null;
      String topic = null;
      Path out = null;
      int minPosts = 1;
      Duration timeout = LabelledTopic.DEFAULT_TIMEOUT;
      Path terminationLog = Files.isWritable(DEFAULT_TERMINATION_LOG) ? DEFAULT_TERMINATION_LOG : null;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          return null;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unknown argument " + flag);
        }
        String value = args[++i];
        switch (flag) {
          case "--bootstrap-servers" -> bootstrap = value;
          case "--topic" -> topic = value;
          case "--out" -> out = Path.of(value);
          case "--min-posts" -> minPosts = positive(flag, value);
          case "--timeout" -> timeout = Duration.ofSeconds(positive(flag, value));
          case "--termination-log" -> terminationLog = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      if (bootstrap == null || bootstrap.isBlank() || topic == null || topic.isBlank() || out == null) {
        throw new IllegalArgumentException("--bootstrap-servers, --topic and --out are required");
      }
      return new Arguments(bootstrap, topic, out, minPosts, timeout, terminationLog);
    }

    private static int positive(String flag, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(flag + " must be a whole number >= 1, not " + value);
    }
  }
}
