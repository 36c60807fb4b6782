package dev.pulse.scoring.cli;



import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./pulse eval on small labelled fixtures (src/test/resources/scoring), and its bad-input errors. */
class ScoringCommandsTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run pulse(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    CommandLine cli = ScoringCli.newCommandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path fixture(String name) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/scoring/" + name)) {
      Files.write(target, in.readAllBytes());
    }
    return target;
  }

  @Test
  void trainScorerStopsOnBadOptionsAndDataBeforeWritingAnything() throws IOException {
    Path data = Files.createDirectories(dir.resolve("semeval"));
    Path out = dir.resolve("heads");
    Run model = pulse("train-scorer", "--data", data.toString(), "--tweeteval", dir.toString(), "--out", out.toString(),
        "--embedding-model", "fp16");
    assertThat(model.exit()).isEqualTo(2);
    assertThat(model.err()).contains("pulse train-scorer: error: embedding model must be int8 or fp32: 'fp16'");
    Run members = pulse("train-scorer", "--data", data.toString(), "--tweeteval", dir.toString(), "--out", out.toString(),
        "--members", "0");
    assertThat(members.exit()).isEqualTo(2);
    assertThat(members.err()).contains("--members must be at least 1: 0");
    Run dropout = pulse("train-scorer", "--data", data.toString(), "--tweeteval", dir.toString(), "--out", out.toString(),
        "--dropout", "1");
    assertThat(dropout.err()).contains("--dropout must be in [0, 1): 1.0");
    Run encoderModel = pulse("train-scorer", "--data", data.toString(), "--tweeteval", dir.toString(), "--out",
        out.toString(), "--encoder", "--encoder-model", "bert-base-uncased");
    assertThat(encoderModel.exit()).isEqualTo(2);
    assertThat(encoderModel.err()).contains("--encoder-model must be one of [e5-small-v2, all-minilm-l6-v2]");
    Run epochs = pulse("train-scorer", "--data", data.toString(), "--tweeteval", dir.toString(), "--out",
        out.toString(), "--encoder", "--encoder-epochs", "0");
    assertThat(epochs.err()).contains("--encoder-epochs must be above 0: 0.0");
    Run missing = pulse("train-scorer", "--data", dir.resolve("nowhere").toString(), "--tweeteval", dir.toString(),
        "--out", out.toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nowhere: no such directory");
    assertThat(out).doesNotExist();
  }

  @Test
  void evalPrintsMetricsAndWritesPredictionsInOrder() throws IOException {
    Path data = fixture("labelled-posts.tsv");
    Path predictions = dir.resolve("out/predictions.jsonl");
    Run run = pulse("eval", "--tsv", data.toString(), "--tier", "lexicon", "--predictions", predictions.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("macro-recall", "accuracy", "macro-F1", "posts/s", "gold \\ predicted");

    List<String> rows = Files.readAllLines(data).subList(1, Files.readAllLines(data).size());
    List<String> lines = Files.readAllLines(predictions);
    assertThat(lines).hasSize(rows.size());
    // The printed accuracy is the share of predictions that equal the gold label, in input order.
    ObjectMapper json = new ObjectMapper();
    int right = 0;
    for (int i = 0; i < rows.size(); i++) {
      JsonNode p = json.readTree(lines.get(i));
      assertThat(p.get("confidence").asDouble()).isBetween(0.0, 1.0);
      assertThat(p.get("score").asDouble()).isBetween(-1.0, 1.0);
      String gold = rows.get(i).substring(rows.get(i).lastIndexOf('\t') + 1);
      if (p.get("label").asText().equals(gold)) right++;
    }
    Matcher m = Pattern.compile("accuracy (\\d\\.\\d{4})").matcher(run.out());
    assertThat(m.find()).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isCloseTo((double) right / rows.size(), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(right).as("the obvious fixture posts are mostly right").isGreaterThan(rows.size() * 2 / 3);
  }

  @Test
  void evalRunsEachLearnedTier() throws IOException {
    Path data = fixture("labelled-posts.tsv");
    int rows = Files.readAllLines(data).size() - 1;
    for (String tier : List.of("fast", "full")) {
      Path predictions = dir.resolve("out/" + tier + ".jsonl");
      Run run = pulse("eval", "--tsv", data.toString(), "--tier", tier, "--predictions", predictions.toString());
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).contains("tier " + tier, "macro-recall");
      assertThat(Files.readAllLines(predictions)).hasSize(rows);
    }
    Run unknown = pulse("eval", "--tsv", data.toString(), "--tier", "llm");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("lexicon", "fast", "full");
  }

  @Test
  void evalReadsJsonlAndTweetEvalLayouts() throws IOException {
    Run jsonl = pulse("eval", "--jsonl", fixture("labelled-posts.jsonl").toString(), "--tier", "lexicon");
    assertThat(jsonl.exit()).as(jsonl.err()).isZero();
    assertThat(jsonl.out()).contains("(6 posts)");
    Path te = Files.createDirectories(dir.resolve("te"));
    Files.writeString(te.resolve("val_text.txt"), "I love it\nI hate it\nit is a phone\n");
    Files.writeString(te.resolve("val_labels.txt"), "2\n0\n1\n");
    Run run = pulse("eval", "--tweeteval", te.toString(), "--split", "val", "--tier", "lexicon");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("(3 posts)");
  }

  @Test
  void badInputGetsAClearErrorAndNonZeroExit() throws IOException {
    Run missing = pulse("eval", "--jsonl", dir.resolve("nope.jsonl").toString());
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err()).contains("nope.jsonl: no such file");

    Path te = Files.createDirectories(dir.resolve("te"));
    Files.writeString(te.resolve("test_text.txt"), "good\nbad\n");
    Files.writeString(te.resolve("test_labels.txt"), "2\n0\n1\n");
    Run mismatch = pulse("eval", "--tweeteval", te.toString(), "--tier", "lexicon");
    assertThat(mismatch.exit()).isNotZero();
    assertThat(mismatch.err()).contains("has 2 lines but").contains("has 3");

    Files.writeString(te.resolve("test_labels.txt"), "2\n3\n");
    Run range = pulse("eval", "--tweeteval", te.toString(), "--tier", "lexicon");
    assertThat(range.exit()).isNotZero();
    assertThat(range.err()).contains("test_labels.txt:2").contains("out of range");

    Files.writeString(te.resolve("test_text.txt"), "good\n  \n");
    Files.writeString(te.resolve("test_labels.txt"), "2\n0\n");
    Run empty = pulse("eval", "--tweeteval", te.toString(), "--tier", "lexicon");
    assertThat(empty.exit()).isNotZero();
    assertThat(empty.err()).contains("test_text.txt:2: empty text");

    Run noSource = pulse("eval");
    assertThat(noSource.exit()).isNotZero();
  }
}
