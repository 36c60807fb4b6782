package dev.pulse.scoring.cli;

import dev.pulse.scoring.eval.DataException;
import dev.pulse.scoring.eval.Datasets;
import dev.pulse.scoring.eval.LabelledSources;
import dev.pulse.scoring.eval.LabelledPost;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.scoring.training.EmbeddingCache;
import dev.pulse.scoring.learned.EmbeddingSettings;
import dev.pulse.scoring.training.ScorerTraining;
import dev.pulse.scoring.learned.NgramHead;
import dev.pulse.scoring.training.NgramTrainer;
import dev.pulse.scoring.training.ScorerTraining.Candidate;
import dev.pulse.scoring.training.ScorerTraining.NgramCandidate;
import dev.pulse.scoring.learned.SoftmaxHead;
import dev.pulse.scoring.training.SoftmaxTrainer;
import dev.pulse.scoring.training.SoftmaxTrainer.Options;
import dev.pulse.scoring.learned.LightHeads;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.LightScorer;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.learned.EncoderOverlay;
import dev.pulse.scoring.learned.TunedMix;
import dev.pulse.scoring.lexicon.RuleAnalyzer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./pulse train-scorer}: re-trains the shipped heads of the light scorer from labelled tweets. */
@Command(
    name = "train-scorer",
    mixinStandardHelpOptions = true,
    description = {
      "Re-trains the light scorer's heads (lexicon tier and learned tier) and writes them as resources.",
      "Trains on the SemEval-2013..2016 Task 4A tweets in --data minus the tweets of TweetEval's validation",
      "split, tunes and calibrates on that validation split; never reads the test split.",
      "With --encoder it first fine-tunes the full tier's encoder (--encoder-model; PyTorch, in the trainer's venv:",
      "about 1 h on 2 cores) and writes it as an overlay on LangChain4j's int8 model; every run ends by fitting how the",
      "fine-tuned encoder mixes with the rest (tuned-mix.txt)."
    })
public final class TrainScorerCommand implements Callable<Integer> {
  /** The fine-tuned encoder's overlay in --out (shipped as {@link EncoderOverlay#SHIPPED}). */
  static final String OVERLAY = "tuned-encoder.overlay";
  /** LangChain4j models --encoder can fine-tune: each ships fp32 and int8 ONNX files and a tokenizer. */
  static final List<String> ENCODER_MODELS = List.of("e5-small-v2", "all-minilm-l6-v2");

  @Option(names = "--data", description = "directory of SemEval *.tsv files (id, label, text); required unless --export-labelled")
  Path data;

  @Option(names = "--tweeteval", description = "TweetEval sentiment directory (val_text.txt, val_labels.txt); required unless --export-labelled")
  Path tweetEval;

  @Option(names = "--out", defaultValue = "scoring/src/main/resources/scoring",
      description = "where to write lexicon-head.txt, light-heads.bin and light-ngrams.bin (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--hidden", split = ",", defaultValue = "0,64",
      description = "learned-tier hidden-layer sizes to try, 0 = logistic regression (default: ${DEFAULT-VALUE}; "
          + "a 256-unit ReLU layer overfitted: 0.652 vs 0.698 validation macro-recall)")
  List<Integer> hidden;

  @Option(names = "--l2", split = ",", defaultValue = "1e-3,1e-2",
      description = "L2 penalties to try (default: ${DEFAULT-VALUE})")
  List<Double> l2;

  @Option(names = "--attention-heads", split = ",", defaultValue = "0,1",
      description = "attention heads over MiniLM's token states to try, 0 = the mean-pooled vector only "
          + "(default: ${DEFAULT-VALUE})")
  List<Integer> attentionHeads;

  @Option(names = "--projection", split = ",", defaultValue = "0",
      description = "widths of the per-token ReLU layer under the attention to try, 0 = none (default: ${DEFAULT-VALUE})")
  List<Integer> projection;

  @Option(names = "--dropout", split = ",", defaultValue = "0",
      description = "dropout rates to try for the hidden layer's inputs and units, 0 = none (default: ${DEFAULT-VALUE})")
  List<Double> dropout;

  @Option(names = "--members", defaultValue = "5",
      description = "heads to train like the chosen candidate, from consecutive seeds, and average (default: ${DEFAULT-VALUE})")
  int members;

  @Option(names = "--ngram-l2", split = ",", defaultValue = "1e-6,1e-5",
      description = "L2 penalties to try for the hashed n-gram logistic regression (default: ${DEFAULT-VALUE})")
  List<Double> ngramL2;

  @Option(names = "--ngram-bits", defaultValue = "18", description = "n-gram hash buckets = 2^bits (default: ${DEFAULT-VALUE})")
  int ngramBits;

  @Option(names = "--ngram-chars", split = ",", defaultValue = "0,5",
      description = "character n-grams (3..N within words) to try beside the word n-grams, 0 = none (default: ${DEFAULT-VALUE})")
  List<Integer> ngramChars;

  @Option(names = "--embedding-model", defaultValue = "int8",
      description = "MiniLM weights whose states the heads learn from: int8 (what the pipeline runs by default) or fp32 "
          + "(heads for jobs run with spark.pulse.embedding.model=fp32; not shipped) (default: ${DEFAULT-VALUE})")
  String embeddingModel;

  @Option(names = "--lexicon-only", description = "re-train the lexicon head only (no embeddings)")
  boolean lexiconOnly;

  @Option(names = "--encoder", description = "also fine-tune the full tier's encoder (--encoder-model; about 1 h on 2 "
      + "cores; writes " + OVERLAY + ")")
  boolean encoder;

  @Option(names = "--encoder-model", defaultValue = "e5-small-v2",
      description = "LangChain4j model --encoder fine-tunes: e5-small-v2 (12 layers, the shipped one) or all-minilm-l6-v2 "
          + "(6 layers, half the cost per post, 0.0136 lower validation macro-recall) (default: ${DEFAULT-VALUE})")
  String encoderModel;

  @Option(names = "--encoder-epochs", defaultValue = "1",
      description = "passes over the training pool for --encoder (default: ${DEFAULT-VALUE}; the shipped all-minilm-l6-v2 "
          + "overlay had 2)")
  double encoderEpochs;

  @Option(names = "--mix-only", description = "keep the shipped heads: only fit the fine-tuned encoder's mix with them "
      + "(after --encoder, or to check the shipped mix)")
  boolean mixOnly;

  @Option(names = "--mix-tolerance", defaultValue = "0.002",
      description = "the fine-tuned encoder's mix keeps the largest share of the rest of the scorer (lexicon rules, glossary) "
          + "whose validation macro-recall is within this of the best mix's (default: ${DEFAULT-VALUE})")
  double mixTolerance;

  @Option(names = "--encoder-script", defaultValue = "scoring-training/encoder-tuning/finetune.sh",
      description = "the fine-tuning script --encoder runs (default: ${DEFAULT-VALUE})")
  Path encoderScript;

  @Option(names = "--encoder-work", defaultValue = "${sys:user.home}/.cache/pulse/encoder-tuning",
      description = "where --encoder keeps its best checkpoint (default: ${DEFAULT-VALUE})")
  Path encoderWork;

  @Option(names = "--labelled", paramLabel = "SOURCE",
      description = {"labelled posts to train on besides --data (repeatable): a pipeline's labelled topic",
          "(kafka://HOST:PORT/TOPIC: the LLM's confident disagreements with the light scorer and analysts'",
          "corrections, the latest per post) or a JSON Lines file of the same records"})
  List<String> labelled = new ArrayList<>();

  @Option(names = "--export-labelled", paramLabel = "FILE",
      description = {"write the --labelled records to FILE as JSON Lines (the ModelAdapter's dataset layout:",
          "text, label, rationale, lightLabel, lightConfidence) and exit without training"})
  Path exportLabelled;

  @Spec CommandSpec spec;

  /** --export-labelled: the labelled sources as one JSON Lines file (a ModelAdapter's dataset); no training. */
  private int exportLabelled() throws IOException {
    if (labelled.isEmpty()) throw new IllegalArgumentException("--export-labelled needs at least one --labelled SOURCE");
    Path tmp = Files.createTempFile("pulse-labelled-", ".jsonl");
    try {
      List<String> lines = new ArrayList<>();
      for (String source : labelled) {
        LabelledSources.export(source, tmp);
        lines.addAll(Files.readAllLines(tmp, java.nio.charset.StandardCharsets.UTF_8));
      }
      Files.write(exportLabelled, lines, java.nio.charset.StandardCharsets.UTF_8);
      System.out.printf(Locale.ROOT, "wrote %d labelled posts to %s%n", lines.size(), exportLabelled);
      return 0;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    EmbeddingSettings settings;
    List<LabelledPost> pool, val;
    // Bad options and data stop it before anything is trained or written.
    try {
      settings = new EmbeddingSettings(embeddingModel, EmbeddingSettings.DEFAULT.maxTokens(), 0);
      checkOptions();
      if (exportLabelled != null) return exportLabelled();
      if (data == null || tweetEval == null) throw new IllegalArgumentException("--data and --tweeteval are required");
      pool = new ArrayList<>(Datasets.semEvalDirectory(data));
      for (String source : labelled) {
        List<LabelledPost> extra = LabelledSources.read(source);
        System.out.printf(Locale.ROOT, "labelled: %d posts from %s%n", extra.size(), source);
        pool.addAll(extra);
      }
      val = Datasets.tweetEval(tweetEval, "val");
    } catch (DataException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("pulse train-scorer: error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    ScorerTraining training = new ScorerTraining(m -> System.out.println("[" + elapsed(t0) + "] " + m));
    if (encoder) {
      int rc = fineTuneEncoder();
      if (rc != 0) {
        spec.commandLine().getErr().println("pulse train-scorer: error: " + encoderScript + " failed with status " + rc);
        spec.commandLine().getErr().flush();
        return rc;
      }
    }
    if (mixOnly) {
      fitTunedMix(training, settings, LightHeads.shipped(), NgramHead.fromResource("/scoring/light-ngrams.bin"), val,
          "the shipped heads");
      return 0;
    }
    List<LabelledPost> train = ScorerTraining.withoutValidation(pool, val);
    System.out.printf(Locale.ROOT, "training pool %d tweets (unique ids), %d removed as in TweetEval val, %d left; val %d%n",
        pool.size(), pool.size() - train.size(), train.size(), val.size());
    int[] yTrain = ScorerTraining.labels(train), yVal = ScorerTraining.labels(val);
    String provenance = "trained by ./pulse train-scorer on " + train.size() + " SemEval-2013..2016 tweets "
        + "(TweetEval val removed), tuned and temperature-calibrated on TweetEval val (" + val.size() + ")";

    double[][] lexTrain = ScorerTraining.lexiconFeatures(train), lexVal = ScorerTraining.lexiconFeatures(val);
    SoftmaxHead lexHead = training.select("lexicon head", lexTrain, yTrain, lexVal, yVal, List.of(
        new Candidate("linear", new Options(0, 1e-4, 15, 0.02, 256, 7))));
    training.report("lexicon tier", lexHead, lexVal, yVal);
    ScorerTraining.write(lexHead, out.resolve("lexicon-head.txt"), "Lexicon-tier head, " + provenance);
    if (lexiconOnly) return 0;

    // No attention here: training reads the raw token states, and the shipped attention is what it replaces.
    Embedder embedder = Embedder.create(settings, null);
    EmbeddingCache cache = EmbeddingCache.inUserCache();
    EmbeddingCache.Encoded encTrain = cache.encode(train.stream().map(LabelledPost::text).toList(), embedder, 512, System.out::println);
    EmbeddingCache.Encoded encVal = cache.encode(val.stream().map(LabelledPost::text).toList(), embedder, 512, System.out::println);
    double[][] xTrain = ScorerTraining.lightFeatures(train, encTrain.embeddings());
    double[][] xVal = ScorerTraining.lightFeatures(val, encVal.embeddings());
    SoftmaxTrainer.Validation validation = new SoftmaxTrainer.Validation(xVal, encVal.tokens(), yVal);
    List<Candidate> candidates = new ArrayList<>();
    for (int heads : attentionHeads) {
      for (int width : heads == 0 ? List.of(0) : projection) {
        for (int h : hidden) {
          for (double penalty : l2) {
            String att = heads == 0 ? "" : " attention" + heads + (width > 0 ? " over relu" + width : "");
            if (h == 0) {
              candidates.add(new Candidate("logistic" + att + " l2=" + penalty, new Options(0, penalty, 20, 0.003, 256, 7, heads, width)));
              continue;
            }
            for (double p : dropout) {
              candidates.add(new Candidate("mlp" + h + att + " l2=" + penalty + (p > 0 ? " dropout=" + p : ""),
                  new Options(h, penalty, 12, 0.001, 128, 7, heads, width, p)));
            }
          }
        }
      }
    }
    ScorerTraining.Chosen chosen = training.select("light head", xTrain, encTrain.tokens(), yTrain, validation,
        candidates, true);
    LightHeads light = members <= 1 ? chosen.trained().toHeads() : training.ensemble("light head",
        chosen.trained(), chosen.candidate().options(), members, xTrain, encTrain.tokens(), yTrain, validation);
    double[][] zVal = ScorerTraining.logits(light, validation);
    double[][] pHead = new double[zVal.length][];
    for (int i = 0; i < zVal.length; i++) pHead[i] = SoftmaxHead.softmax(zVal[i], light.temperature());
    training.report("embedding heads alone", pHead, yVal);
    ScorerTraining.write(light, out.resolve("light-heads.bin"));

    List<String> trainTexts = train.stream().map(LabelledPost::text).toList();
    List<String> valTexts = val.stream().map(LabelledPost::text).toList();
    List<NgramCandidate> ngramCandidates = new ArrayList<>();
    for (int chars : ngramChars) {
      for (double penalty : ngramL2) {
        ngramCandidates.add(new NgramCandidate("logistic 2^" + ngramBits + (chars > 0 ? " chars3-" + chars : "")
            + " l2=" + penalty, new NgramTrainer.Options(ngramBits, chars, 2, penalty, 6, 0.005, 256, 7)));
      }
    }
    double[] mixes = new double[11];
    for (int i = 0; i <= 10; i++) mixes[i] = i / 10.0;
    NgramHead ngrams = training.selectNgram(trainTexts, yTrain, valTexts, yVal, zVal, ngramCandidates, mixes);
    double[][] pVal = new double[xVal.length][];
    for (int i = 0; i < pVal.length; i++) pVal[i] = ngrams.probabilities(zVal[i], valTexts.get(i));
    training.report("full light scorer", pVal, yVal);
    ScorerTraining.write(ngrams, out.resolve("light-ngrams.bin"));
    System.out.println("[" + elapsed(t0) + "] wrote " + out.resolve("lexicon-head.txt") + ", " + out.resolve("light-heads.bin")
        + " and " + out.resolve("light-ngrams.bin"));
    fitTunedMix(training, settings, light, ngrams, val, "these heads");
    return 0;
  }

  /** Runs the fine-tuning script on LangChain4j's model files, copied out of the classpath. */
  private int fineTuneEncoder() throws IOException, InterruptedException {
    Path models = Files.createTempDirectory("pulse-encoder");
    try {
      List<String> command = new ArrayList<>(List.of("bash", encoderScript.toString()));
      String[][] files = {{"--fp32", encoderModel + ".onnx"}, {"--int8", encoderModel + "-q.onnx"},
          {"--tokenizer", encoderModel + "-tokenizer.json"}};
      for (String[] f : files) {
        try (InputStream in = Embedder.class.getResourceAsStream("/" + f[1])) {
          if (in == null) throw new IllegalStateException(f[1] + " is not on the classpath");
          Files.copy(in, models.resolve(f[1]), StandardCopyOption.REPLACE_EXISTING);
        }
        command.addAll(List.of(f[0], models.resolve(f[1]).toString()));
      }
      command.addAll(List.of("--data", data.toString(), "--tweeteval", tweetEval.toString(),
          "--work", encoderWork.resolve(encoderModel).toString(), "--epochs", Double.toString(encoderEpochs),
          "--out", out.resolve(OVERLAY).toString()));
      Files.createDirectories(encoderWork.resolve(encoderModel));
      System.out.println("fine-tuning " + encoderModel + ": " + String.join(" ", command));
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    } finally {
      try (var s = Files.list(models)) {
        for (Path p : s.toList()) Files.deleteIfExists(p);
      }
      Files.deleteIfExists(models);
    }
  }

  /**
   * Fits {@link TunedMix} for these heads and the overlay in {@code --out} (the shipped one if there is none) on
   * validation, reports the full scorer and writes tuned-mix.txt.
   */
  private void fitTunedMix(ScorerTraining training, EmbeddingSettings settings, LightHeads light, NgramHead ngrams,
      List<LabelledPost> val, String heads) throws IOException {
    Path file = out.resolve(OVERLAY);
    EncoderOverlay overlay;
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        overlay = EncoderOverlay.read(in);
      }
    } else {
      overlay = EncoderOverlay.shipped();
    }
    List<String> texts = val.stream().map(LabelledPost::text).toList();
    List<Embedder.PostVectors> vectors = Embedder.create(settings, light.pooling(), overlay).encodeTuned(texts);
    List<Score> scores = new LightScorer(new RuleAnalyzer(Glossary.EMPTY), light, ngrams).scoreEncoded(texts, vectors);
    double[][] pLight = scores.stream().map(Score::probabilities).toArray(double[][]::new);
    double[][] zTuned = vectors.stream().map(Embedder.PostVectors::tuned).toArray(double[][]::new);
    int[] yVal = ScorerTraining.labels(val);
    double[][] pTuned = new double[zTuned.length][];
    for (int i = 0; i < pTuned.length; i++) pTuned[i] = SoftmaxHead.softmax(zTuned[i], 1);
    training.report("fine-tuned encoder alone (uncalibrated)", pTuned, yVal);
    double[] mixes = new double[21];
    for (int i = 0; i <= 20; i++) mixes[i] = i / 20.0;
    TunedMix mix = training.selectTunedMix(pLight, zTuned, yVal, mixes, mixTolerance);
    double[][] pVal = new double[pLight.length][];
    for (int i = 0; i < pVal.length; i++) pVal[i] = mix.probabilities(pLight[i], zTuned[i]);
    training.report("full light scorer with the fine-tuned encoder", pVal, yVal);
    ScorerTraining.write(mix, out.resolve("tuned-mix.txt"), "Mix of the fine-tuned encoder (" + overlay.baseName() + ", "
        + overlay.tensors() + " tensors patched) with " + heads + ": chosen by TweetEval val macro-recall, temperature fitted on TweetEval val ("
        + val.size() + " tweets), by ./pulse train-scorer");
    System.out.println("wrote " + out.resolve("tuned-mix.txt"));
  }

  private void checkOptions() {
    if (members < 1) throw new IllegalArgumentException("--members must be at least 1: " + members);
    for (int h : hidden) if (h < 0) throw new IllegalArgumentException("--hidden must be 0 or more: " + h);
    for (int h : attentionHeads) if (h < 0) throw new IllegalArgumentException("--attention-heads must be 0 or more: " + h);
    for (int w : projection) if (w < 0) throw new IllegalArgumentException("--projection must be 0 or more: " + w);
    for (double p : dropout) {
      if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("--dropout must be in [0, 1): " + p);
    }
    if (!ENCODER_MODELS.contains(encoderModel)) {
      throw new IllegalArgumentException("--encoder-model must be one of " + ENCODER_MODELS + ": " + encoderModel);
    }
    if (!(encoderEpochs > 0)) throw new IllegalArgumentException("--encoder-epochs must be above 0: " + encoderEpochs);
  }

  private static String elapsed(long t0) {
    long s = (System.nanoTime() - t0) / 1_000_000_000L;
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
