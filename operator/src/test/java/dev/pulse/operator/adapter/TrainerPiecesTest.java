package dev.pulse.operator.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.common.PvcPath;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.adapter.TrainingDataset;
import dev.pulse.contract.Durations;
import dev.pulse.operator.support.OwnedNames;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainerPiecesTest {

  @Test
  void readsTheChatTemplateFileTheTrainerWroteAndRefusesAPathOutOfTheAdaptersDirectory() {
    String ok = "{\"phase\":\"Succeeded\",\"adapterPath\":\"/output/a/1\",\"chatTemplate\":\"%s\"}";
    assertThat(TrainerReport.parse(ok.formatted("chat_template.jinja")).orElseThrow().chatTemplate())
        .isEqualTo("chat_template.jinja");
    for (String hostile : new String[] {"../../etc/passwd", "/etc/passwd", "a/b.jinja", "..", ".hidden", ""}) {
      assertThat(TrainerReport.parse(ok.formatted(hostile)).orElseThrow().chatTemplate()).as(hostile).isNull();
    }
    assertThat(TrainerReport.parse("{\"phase\":\"Succeeded\"}").orElseThrow().chatTemplate()).isNull();
  }

  @Test
  void readsTheTrainersSuccessAndFailureMessagesAndALogTail() {
    TrainerReport ok = TrainerReport.parse("{\"phase\":\"Succeeded\",\"adapterPath\":\"/output/a/1\",\"metrics\":"
        + "{\"accuracy\":0.8,\"macroRecall\":0.75,\"evalLoss\":0.5,\"trainLoss\":0.4,\"steps\":10},\"device\":\"cpu\","
        + "\"quantization\":\"none\"}").orElseThrow();
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.metrics().getMacroRecall()).isEqualTo(0.75);

    TrainerReport failed = TrainerReport.parse("{\"phase\":\"Failed\",\"reason\":\"DatasetError\",\"message\":\"line 3: "
        + "label must be one of negative, neutral, positive\"}").orElseThrow();
    assertThat(failed.reason()).isEqualTo("DatasetError");
    assertThat(failed.message()).contains("line 3");

    TrainerReport crash = TrainerReport.parse("Traceback (most recent call last):\n  ...\nCUDA out of memory").orElseThrow();
    assertThat(crash.phase()).isNull();
    assertThat(crash.message()).endsWith("CUDA out of memory");
    assertThat(TrainerReport.parse("")).isEmpty();
  }

  @Test
  void weightsAndDatasetOnVolumesBecomePathsTheTrainerReads() {
    ModelAdapter adapter = new KubernetesSerialization().convertValue(
        Samples.first("modeladapter-gemma.yaml", "ModelAdapter"), ModelAdapter.class);
    adapter.getMetadata().setGeneration(7L);
    adapter.getSpec().getBaseModel().setHubTokenSecret(null);
    adapter.getSpec().getBaseModel().setWeightsPvc(new PvcPath("models", "/gemma-2b/"));
    TrainingDataset dataset = new TrainingDataset();
    dataset.setPvc(new PvcPath("datasets", "/northwind/train.jsonl"));
    adapter.getSpec().setDataset(dataset);

    assertThat(TrainerArguments.of(adapter)).containsSequence("--base-model", "/models/gemma-2b")
        .containsSequence("--train-file", "/data/northwind/train.jsonl")
        .containsSequence("--output-dir", "/output/adapters/northwind-gemma-sentiment/7");
    assertThat(TrainingVolumes.adapterPath(adapter)).isEqualTo("pvc://pulse-adapters/adapters/northwind-gemma-sentiment/7");
    assertThat(ModelAdapterObjects.jobName(adapter)).isEqualTo("northwind-gemma-sentiment-train-7");
    var env = ModelAdapterObjects.job(adapter, dev.pulse.operator.support.PulseImages.defaults())
        .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env).anySatisfy(e -> assertThat(e.getName()).isEqualTo("HF_HUB_OFFLINE"));
    assertThat(env).noneSatisfy(e -> assertThat(e.getName()).isEqualTo("HF_TOKEN"));
  }

  @Test
  void namesStayWithinTheLabelLimitAndDurationsParseAsCelDoes() {
    String longName = "a-very-long-model-adapter-name-that-goes-on-and-on-and-on-for-ever";
    String job = OwnedNames.child(longName, "train-12");
    assertThat(job).hasSizeLessThanOrEqualTo(63).endsWith("-train-12");
    assertThat(OwnedNames.child(longName + "x", "train-12")).isNotEqualTo(job);
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("168h").toMillis()).isEqualTo(604_800_000L);
  }
}
