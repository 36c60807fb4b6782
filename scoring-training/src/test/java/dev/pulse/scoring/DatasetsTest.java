package dev.pulse.scoring;

import dev.pulse.event.Label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.scoring.eval.DataException;
import dev.pulse.scoring.eval.Datasets;
import dev.pulse.scoring.eval.LabelledPost;
import dev.pulse.scoring.training.DedupKey;
import dev.pulse.scoring.training.ScorerTraining;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
  @TempDir Path dir;

  @Test
  void readsSemEvalFilesDedupingByIdAndSkippingTrailingTab() throws IOException {
    Files.writeString(dir.resolve("a.tsv"), "1\tpositive\tI love it\n2\tnegative\t\"so bad\\u002c really\"\t\n");
    Files.writeString(dir.resolve("b.tsv"), "2\tnegative\tso bad, really\n3\tneutral\tat home");
    List<LabelledPost> posts = Datasets.semEvalDirectory(dir);
    assertThat(posts).extracting(LabelledPost::id).containsExactly("1", "2", "3");
    assertThat(posts).extracting(LabelledPost::label)
        .containsExactly(Label.POSITIVE, Label.NEGATIVE, Label.NEUTRAL);
  }

  @Test
  void validationTweetsAreRemovedByNormalisedKey() {
    List<LabelledPost> pool = List.of(
        new LabelledPost("1", "@Apple the new \\u2019iPhone\\u2019 is great http://t.co/abc", Label.POSITIVE),
        new LabelledPost("2", "something else entirely here", Label.NEUTRAL));
    List<LabelledPost> val = List.of(new LabelledPost(null, "@user The new ’iPhone’ is GREAT", Label.POSITIVE));
    assertThat(ScorerTraining.withoutValidation(pool, val)).extracting(LabelledPost::id).containsExactly("2");
    assertThat(DedupKey.of("@user ok")).isNull();
  }

  @Test
  void tsvAndJsonlErrorsNameFileAndLine() throws IOException {
    Path tsv = dir.resolve("x.tsv");
    Files.writeString(tsv, "text\tlabel\ngood\t2\nbad\t7\n");
    assertThatThrownBy(() -> Datasets.tsv(tsv)).isInstanceOf(DataException.class)
        .hasMessageContaining("x.tsv:3").hasMessageContaining("out of range");
    Path jsonl = dir.resolve("x.jsonl");
    Files.writeString(jsonl, "{\"text\": \"fine\", \"label\": \"positive\"}\n{\"label\": 1}\n");
    assertThatThrownBy(() -> Datasets.jsonl(jsonl)).isInstanceOf(DataException.class)
        .hasMessageContaining("x.jsonl:2").hasMessageContaining("\"text\"");
  }
}
