package dev.pulse.scoring.cli;

import dev.pulse.event.Label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.LightScorer;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.eval.ConfusionMatrix;
import dev.pulse.scoring.eval.DataException;
import dev.pulse.scoring.eval.Datasets;
import dev.pulse.scoring.eval.LabelledPost;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.scoring.learned.EmbeddingSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./pulse bench scorer}: the lexicon tier against Python vaderSentiment on the same posts, one core
 * each, in one run; then the fast and full light scorers. The venv with vaderSentiment is created on first use under
 * ~/.cache/pulse/bench (needs PyPI or a pip mirror once).
 */
@Command(name = "scorer", mixinStandardHelpOptions = true,
    description = "Lexicon tier (Java, one core) vs Python vaderSentiment (one core) on the same posts, then the fast and full light scorers.")
public final class BenchScorerCommand implements Callable<Integer> {
  static final String VADER_VERSION = "3.3.2";

  @Option(names = "--tweeteval", paramLabel = "DIR",
      description = "TweetEval sentiment directory; default: the bundled TweetEval validation split (2,000 tweets)")
  Path tweetEval;

  @Option(names = "--split", defaultValue = "test", description = "split of --tweeteval: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  Split split;

  @Option(names = "--seconds", defaultValue = "5",
      description = "CPU seconds each scorer runs for (whole passes over the posts; default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--python", defaultValue = "python3", description = "Python used to create the venv (default: ${DEFAULT-VALUE})")
  String python;

  @Option(names = "--skip-full", description = "skip the fast and full light scorers (embeddings)")
  boolean skipFull;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<LabelledPost> posts;
    String source;
    try {
      if (tweetEval != null) {
        posts = Datasets.tweetEval(tweetEval, split.name());
        source = tweetEval + " [" + split + "]";
      } else {
        Path dir = BundledFixture.tweetEvalVal();
        posts = Datasets.tweetEval(dir, "val");
        source = "bundled TweetEval validation split";
      }
    } catch (DataException e) {
      spec.commandLine().getErr().println("pulse bench scorer: error: " + e.getMessage());
      return 2;
    }
    // One line per post for Python: a newline inside a tweet would shift every later label.
    List<String> texts = posts.stream().map(p -> p.text().replace('\n', ' ').replace('\r', ' ')).toList();
    out.printf(Locale.ROOT, "posts: %s, %d posts; each scorer runs whole passes for >= %.0f CPU-seconds%n", source,
        texts.size(), seconds);
    out.flush();

    SentimentScorer lexicon = SentimentScorer.lexicon(Glossary.EMPTY);
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    // JIT warm-up: C2 needs ~10^5 calls and, on a busy machine, a few seconds to compile the hot path.
    long w0 = cpu.getCurrentThreadCpuTime();
    while (cpu.getCurrentThreadCpuTime() - w0 < 3e9) for (String t : texts) lexicon.score(t);
    long t0 = System.nanoTime(), c0 = cpu.getCurrentThreadCpuTime();
    List<Score> lexScores = null;
    int passes = 0;
    while (passes == 0 || cpu.getCurrentThreadCpuTime() - c0 < seconds * 1e9) {
      List<Score> s = new ArrayList<>(texts.size());
      for (String t : texts) s.add(lexicon.score(t));
      lexScores = s;
      passes++;
    }
    double lexCpuRate = texts.size() * (double) passes / ((cpu.getCurrentThreadCpuTime() - c0) / 1e9);
    double lexRate = texts.size() * (double) passes / ((System.nanoTime() - t0) / 1e9);
    ConfusionMatrix lexM = matrix(posts, lexScores.stream().map(Score::label).toList());

    Path venvPython = ensureVenv(out);
    Path postsFile = Files.createTempFile("pulse-bench-posts", ".txt");
    Path script = Files.createTempFile("pulse-vader-bench", ".py");
    JsonNode vader;
    try {
      Files.write(postsFile, texts, StandardCharsets.UTF_8);
      try (InputStream in = getClass().getResourceAsStream("/scoring/vader_bench.py")) {
        Files.write(script, in.readAllBytes());
      }
      out.println("running vaderSentiment " + VADER_VERSION + " on the same posts ...");
      out.flush();
      vader = new ObjectMapper().readTree(run(List.of(venvPython.toString(), script.toString(), postsFile.toString(),
          String.valueOf(seconds))));
    } finally {
      Files.deleteIfExists(postsFile);
      Files.deleteIfExists(script);
    }
    List<Label> vaderLabels = new ArrayList<>();
    vader.get("labels").forEach(n -> vaderLabels.add(Label.ofIndex(n.asInt())));
    ConfusionMatrix vaderM = matrix(posts, vaderLabels);
    double vaderRate = vader.get("wall_posts_per_s").asDouble();
    double vaderCpuRate = vader.get("cpu_posts_per_s").asDouble();

    out.println();
    out.println("| scorer | threads | posts/s per CPU-second | posts/s wall-clock | macro-recall | accuracy | macro-F1 |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    row(out, "Pulse lexicon tier (Java)", "1", lexCpuRate, lexRate, lexM);
    row(out, "vaderSentiment " + VADER_VERSION + " (Python " + pythonVersion(venvPython) + ")", "1", vaderCpuRate,
        vaderRate, vaderM);
    out.flush();
    if (!skipFull) {
      benchLearned(out, posts, texts, LightScorer.fast(Glossary.EMPTY),
          "Pulse fast light scorer (MiniLM int8 + attention heads + lexicon + n-grams)");
      benchLearned(out, posts, texts, (LightScorer) SentimentScorer.full(Glossary.EMPTY),
          "Pulse full light scorer (fast + fine-tuned e5-small-v2 int8, a second pass)");
    }
    out.printf(Locale.ROOT, "%nlexicon tier / vaderSentiment speed on one core: %.1fx per CPU-second, %.1fx wall-clock"
        + " (target >= 20x; CPU time is the fair figure when other processes share the machine)%n",
        lexCpuRate / vaderCpuRate, lexRate / vaderRate);
    out.flush();
    return 0;
  }

  /**
   * The same work as scorer.scoreAll, timed in its two parts: the encoder passes (MiniLM's, which the Spark job computes
   * for Qdrant anyway, with its attention pooling, and for the full tier the fine-tuned encoder's) and the heads on top of them.
   * A private embedder without a cache, so neither tier reads vectors the other computed.
   */
  private static void benchLearned(PrintWriter out, List<LabelledPost> posts, List<String> texts, LightScorer scorer,
      String name) {
    Embedder embedder = Embedder.create(new EmbeddingSettings("int8", EmbeddingSettings.DEFAULT.maxTokens(), 0));
    scorer.scoreEncoded(texts.subList(0, Math.min(64, texts.size())),
        scorer.encode(embedder, texts.subList(0, Math.min(64, texts.size()))));
    long embedNanos = 0, headNanos = 0;
    List<Score> scores = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += 256) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + 256));
      long t1 = System.nanoTime();
      List<Embedder.PostVectors> vectors = scorer.encode(embedder, batch);
      long t2 = System.nanoTime();
      scores.addAll(scorer.scoreEncoded(batch, vectors));
      embedNanos += t2 - t1;
      headNanos += System.nanoTime() - t2;
    }
    double rate = texts.size() / ((embedNanos + headNanos) / 1e9);
    row(out, name, String.valueOf(Runtime.getRuntime().availableProcessors()), Double.NaN, rate,
        matrix(posts, scores.stream().map(Score::label).toList()));
    out.printf(Locale.ROOT, "  (wall-clock: %s %,.0f posts/s, heads on top, one thread, %,.0f posts/s)%n",
        scorer.tuned() ? "MiniLM and fine-tuned e5 passes" : "MiniLM pass", texts.size() / (embedNanos / 1e9), texts.size() / (headNanos / 1e9));
    out.flush();
  }

  private static void row(PrintWriter out, String name, String threads, double cpuRate, double rate, ConfusionMatrix m) {
    out.printf(Locale.ROOT, "| %s | %s | %s | %,.0f | %.4f | %.4f | %.4f |%n", name, threads,
        Double.isNaN(cpuRate) ? "n/a" : String.format(Locale.ROOT, "%,.0f", cpuRate), rate, m.macroRecall(),
        m.accuracy(), m.macroF1());
  }

  private static ConfusionMatrix matrix(List<LabelledPost> posts, List<Label> predicted) {
    ConfusionMatrix m = new ConfusionMatrix();
    for (int i = 0; i < posts.size(); i++) m.add(posts.get(i).label(), predicted.get(i));
    return m;
  }

  private Path ensureVenv(PrintWriter out) throws IOException, InterruptedException {
    Path venv = Path.of(System.getProperty("user.home"), ".cache", "pulse", "bench", "vader-" + VADER_VERSION);
    Path py = venv.resolve("bin").resolve("python");
    if (Files.isExecutable(py) && Files.exists(venv.resolve(".pulse-ready"))) return py;
    out.println("creating " + venv + " with vaderSentiment==" + VADER_VERSION + " from PyPI (first run only) ...");
    out.flush();
    Files.createDirectories(venv.getParent());
    run(List.of(python, "-m", "venv", "--clear", venv.toString()));
    run(List.of(py.toString(), "-m", "pip", "install", "--quiet", "vaderSentiment==" + VADER_VERSION));
    Files.writeString(venv.resolve(".pulse-ready"), VADER_VERSION);
    return py;
  }

  private static String pythonVersion(Path py) {
    try {
      return run(List.of(py.toString(), "-c", "import platform; print(platform.python_version())")).strip();
    } catch (Exception e) {
      return "?";
    }
  }

  /** Runs a process, returns its stdout; stderr passes through so pip's errors reach the user. */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("command failed (exit " + p.exitValue() + "): " + String.join(" ", command));
    }
    return new String(stdout, StandardCharsets.UTF_8);
  }
}
