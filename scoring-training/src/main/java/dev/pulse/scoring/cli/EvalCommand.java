package dev.pulse.scoring.cli;

import dev.pulse.event.Label;

import dev.pulse.contract.ScoringTier;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.eval.ConfusionMatrix;
import dev.pulse.scoring.eval.DataException;
import dev.pulse.scoring.eval.Datasets;
import dev.pulse.scoring.eval.LabelledPost;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./pulse eval}: scores a labelled set and prints TweetEval's metrics and the scoring speed. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Scores a labelled set with the light scorer and prints macro-averaged recall (TweetEval's "
        + "official sentiment metric), accuracy, macro-F1, per-class recall, the confusion matrix and posts/s.")
public final class EvalCommand implements Callable<Integer> {

  static final class Source {
    @Option(names = "--tweeteval", paramLabel = "DIR", description = "TweetEval layout: SPLIT_text.txt + SPLIT_labels.txt")
    Path tweetEval;

    @Option(names = "--jsonl", paramLabel = "FILE", description = "JSON Lines with \"text\" and \"label\" (0/1/2 or name)")
    Path jsonl;

    @Option(names = "--tsv", paramLabel = "FILE", description = "text<TAB>label per line")
    Path tsv;
  }


  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--split", defaultValue = "test", description = "TweetEval split: test or val (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--tier", defaultValue = "full", description = "lexicon, fast (the learned tier without the fine-tuned encoder's pass) or full (default: ${DEFAULT-VALUE})")
  ScoringTier tier;

  @Option(names = "--predictions", paramLabel = "FILE", description = "also write label, score and confidence per post as JSONL, in input order")
  Path predictions;

  @Option(names = "--batch", defaultValue = "256", description = "posts per scoring call (default: ${DEFAULT-VALUE})")
  int batch;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<LabelledPost> posts;
    try {
      posts = load();
    } catch (DataException e) {
      err.println("pulse eval: error: " + e.getMessage());
      err.flush();
      return 2;
    }
    SentimentScorer scorer = SentimentScorer.tier(tier, Glossary.EMPTY);
    scorer.scoreAll(List.of("warm-up")); // loads the lexicon and the model before the clock starts
    // The lexicon tier is so fast that one cold pass mostly measures the JIT compiler: time a second pass.
    if (tier == ScoringTier.lexicon) score(scorer, posts);
    long t0 = System.nanoTime();
    List<Score> scores = score(scorer, posts);
    double seconds = (System.nanoTime() - t0) / 1e9;
    ConfusionMatrix m = new ConfusionMatrix();
    for (int i = 0; i < posts.size(); i++) m.add(posts.get(i).label(), scores.get(i).label());

    out.printf(Locale.ROOT, "data       %s (%d posts), tier %s%n", describe(), posts.size(), tier);
    out.printf(Locale.ROOT, "macro-recall %.4f   accuracy %.4f   macro-F1 %.4f%n", m.macroRecall(), m.accuracy(), m.macroF1());
    out.printf(Locale.ROOT, "recall     negative %.4f   neutral %.4f   positive %.4f%n",
        m.recall(Label.NEGATIVE), m.recall(Label.NEUTRAL), m.recall(Label.POSITIVE));
    out.print(m.render());
    out.printf(Locale.ROOT, "speed      %.0f posts/s wall-clock (%.2f s%s, %d threads available; "
        + "./pulse bench scorer measures one core properly)%n", posts.size() / seconds, seconds,
        tier == ScoringTier.lexicon ? ", second pass" : "", Runtime.getRuntime().availableProcessors());
    out.flush();
    if (predictions != null) writePredictions(scores);
    return 0;
  }

  private List<Score> score(SentimentScorer scorer, List<LabelledPost> posts) {
    List<Score> scores = new ArrayList<>(posts.size());
    for (int from = 0; from < posts.size(); from += batch) {
      List<String> texts = posts.subList(from, Math.min(posts.size(), from + batch)).stream().map(LabelledPost::text).toList();
      scores.addAll(scorer.scoreAll(texts));
    }
    return scores;
  }

  private List<LabelledPost> load() {
    if (source.tweetEval != null) {
      if (!split.equals("test") && !split.equals("val")) throw new DataException("--split must be test or val, not " + split);
      return Datasets.tweetEval(source.tweetEval, split);
    }
    return source.jsonl != null ? Datasets.jsonl(source.jsonl) : Datasets.tsv(source.tsv);
  }

  private String describe() {
    if (source.tweetEval != null) return source.tweetEval + " [" + split + "]";
    return String.valueOf(source.jsonl != null ? source.jsonl : source.tsv);
  }

  private void writePredictions(List<Score> scores) throws IOException {
    ObjectMapper json = new ObjectMapper();
    if (predictions.getParent() != null) Files.createDirectories(predictions.getParent());
    try (BufferedWriter w = Files.newBufferedWriter(predictions, StandardCharsets.UTF_8)) {
      for (Score s : scores) {
        ObjectNode o = json.createObjectNode();
        o.put("label", s.label().name().toLowerCase(Locale.ROOT));
        o.put("score", Math.round(s.score() * 1e4) / 1e4);
        o.put("confidence", Math.round(s.confidence() * 1e4) / 1e4);
        o.put("crisis", s.crisis());
        w.write(json.writeValueAsString(o));
        w.newLine();
      }
    }
  }
}
