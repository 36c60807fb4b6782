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
import dev.pulse.scoring.eval.escalation.EscalationEval;
import dev.pulse.scoring.eval.escalation.EscalationReport;
import dev.pulse.testsupport.llm.LlamaCppServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
  Split split;

  @Option(names = "--tier", defaultValue = "full", description = "lexicon, fast (the learned tier without the fine-tuned encoder's pass) or full (default: ${DEFAULT-VALUE})")
  ScoringTier tier;

  @Option(names = "--predictions", paramLabel = "FILE", description = "also write label, score and confidence per post as JSONL, in input order")
  Path predictions;

  @Option(names = "--batch", defaultValue = "256", description = "posts per scoring call (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--sample", defaultValue = "0", paramLabel = "N",
      description = "evaluate a random sample of N posts (seed 42, input order kept); 0 = all (default)")
  int sample;

  @Option(names = "--escalate", description = {"also send the posts under --threshold through the LLM gateway to "
      + "the real LLM (llama.cpp on CPU with SmolLM2-135M-Instruct, built and cached on first use) and print "
      + "macro-recall for the light scorer, the LLM on the escalated posts and the combination, the escalated "
      + "share and posts/s, for the base model and each --adapter, with the gate's verdict"})
  boolean escalate;

  @Option(names = "--threshold", defaultValue = "0.6",
      description = "escalation threshold on the light scorer's confidence (the pipeline's default: ${DEFAULT-VALUE})")
  double threshold;

  @Option(names = "--adapter", paramLabel = "NAME=FILE",
      description = "a LoRA adapter in llama.cpp's GGUF format (the trainer's adapter.gguf), evaluated beside the base model; repeatable")
  Map<String, Path> adapters = new LinkedHashMap<>();

  @Option(names = "--adapters-only", description = "with --adapter: evaluate only the adapters, not the base model")
  boolean adaptersOnly;

  @Option(names = "--gateway", paramLabel = "URL",
      description = "use this running LLM gateway instead of starting llama.cpp and a gateway (with --model); its "
          + "service token is read from the environment variable PULSE_GATEWAY_TOKEN")
  String gateway;

  @Option(names = "--model", defaultValue = "served model", description = "the model name to report with --gateway")
  String model;

  @Option(names = "--llm-batch", defaultValue = "16", description = "posts per gateway request (default: ${DEFAULT-VALUE})")
  int llmBatch;

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

    out.printf(Locale.ROOT, "data       %s (%d posts%s), tier %s%n", describe(), posts.size(),
        sample > 0 ? ", a random sample (seed 42)" : "", tier);
    out.printf(Locale.ROOT, "macro-recall %.4f   accuracy %.4f   macro-F1 %.4f%n", m.macroRecall(), m.accuracy(), m.macroF1());
    out.printf(Locale.ROOT, "recall     negative %.4f   neutral %.4f   positive %.4f%n",
        m.recall(Label.NEGATIVE), m.recall(Label.NEUTRAL), m.recall(Label.POSITIVE));
    out.print(m.render());
    out.printf(Locale.ROOT, "speed      %.0f posts/s wall-clock (%.2f s%s, %d threads available; "
        + "./pulse bench scorer measures one core properly)%n", posts.size() / seconds, seconds,
        tier == ScoringTier.lexicon ? ", second pass" : "", Runtime.getRuntime().availableProcessors());
    out.flush();
    if (predictions != null) writePredictions(scores);
    if (escalate) {
      if (!(threshold > 0 && threshold <= 1) || llmBatch < 1 || llmBatch > 256) {
        err.println("pulse eval: --threshold must be in (0, 1] and --llm-batch in [1, 256]");
        err.flush();
        return 2;
      }
      for (Map.Entry<String, Path> a : adapters.entrySet()) {
        if (!Files.isRegularFile(a.getValue())) {
          err.println("pulse eval: --adapter " + a.getKey() + "=" + a.getValue() + ": no such file");
          err.flush();
          return 2;
        }
      }
      EscalationEval eval = new EscalationEval(threshold, llmBatch, out);
      List<EscalationReport> reports;
      try {
        reports = gateway != null ? List.of(eval.evaluate(model, gateway, System.getenv("PULSE_GATEWAY_TOKEN"), posts,
            scores, seconds))
            : eval.runLocal(LlamaCppServer.findRepo(codeLocation()), adapters, !(adaptersOnly && !adapters.isEmpty()),
                posts, scores, seconds);
      } catch (IOException e) {
        err.println("pulse eval: escalation failed: " + e.getMessage());
        err.flush();
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 130;
      }
      for (EscalationReport r : reports) out.print(r.render());
      out.flush();
    }
    return 0;
  }

  private static Path codeLocation() {
    try {
      return Path.of(EvalCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      return Path.of("");
    }
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
    List<LabelledPost> all;
    if (source.tweetEval != null) {
      all = Datasets.tweetEval(source.tweetEval, split.name());
    } else {
      all = source.jsonl != null ? Datasets.jsonl(source.jsonl) : Datasets.tsv(source.tsv);
    }
    if (sample < 0) throw new DataException("--sample must be >= 0");
    if (sample == 0 || sample >= all.size()) return all;
    List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, all.size()).boxed().toList());
    java.util.Collections.shuffle(order, new java.util.Random(42));
    return order.subList(0, sample).stream().sorted().map(all::get).toList();
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
