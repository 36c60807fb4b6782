package dev.pulse.operator.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.adapter.LabelledTopicDataset;
import dev.pulse.crd.v1alpha1.adapter.TrainingDataset;
import dev.pulse.crd.v1alpha1.feed.KafkaSecurity;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus.Phase;
import dev.pulse.operator.network.NetworkPolicies;
import dev.pulse.operator.pipeline.AdapterDatasets;
import dev.pulse.operator.support.OwnedObjects;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A ModelAdapter whose dataset is a pipeline's labelled topic: resolved from the pipeline, exported by an init
 * container into the pod's dataset emptyDir, reachable through the NetworkPolicy, and its failures reported.
 */
class LabelledTopicDatasetTest {

  private static final PulseImages IMAGES = PulseImages.defaults();

  private static ModelAdapter adapter(Integer minPosts) {
    ModelAdapter a = Serialization.unmarshal(Serialization.asYaml(Samples.first("modeladapter-gemma.yaml",
        "ModelAdapter")), ModelAdapter.class);
    a.getMetadata().setNamespace("brands");
    a.getMetadata().setGeneration(3L);
    LabelledTopicDataset labelled = new LabelledTopicDataset();
    labelled.setPipeline("northwind");
    labelled.setMinPosts(minPosts);
    TrainingDataset dataset = new TrainingDataset();
    dataset.setLabelledTopic(labelled);
    a.getSpec().setDataset(dataset);
    return a;
  }

  private static SentimentPipeline pipeline() {
    SentimentPipeline p = Serialization.unmarshal(Serialization.asYaml(Samples.first(
        "sentimentpipeline-northwind.yaml", "SentimentPipeline")), SentimentPipeline.class);
    p.getMetadata().setNamespace("brands");
    return p;
  }

  private static LabelledSource resolved(ModelAdapter adapter) {
    AdapterDatasets.Resolution r = AdapterDatasets.resolve(adapter, pipeline());
    assertThat(r.reason()).isNull();
    return r.source();
  }

  @Test
  void thePipelinesBootstrapServersAndLabelledTopicAreResolved() {
    LabelledSource source = resolved(adapter(25));
    assertThat(source).isEqualTo(new LabelledSource("pulse-kafka-kafka-bootstrap:9092",
        "pulse.pipeline.brands.northwind.labelled", 25));
    assertThat(resolved(adapter(null)).minPosts()).as("the CRD's default").isEqualTo(1);
  }

  @Test
  void theJobExportsTheTopicInAnInitContainerIntoTheDatasetEmptyDirTheTrainerReads() {
    ModelAdapter adapter = adapter(25);
    Job job = ModelAdapterObjects.job(adapter, IMAGES, resolved(adapter));
    PodSpec pod = job.getSpec().getTemplate().getSpec();

    Container export = pod.getInitContainers().get(0);
    assertThat(pod.getInitContainers()).hasSize(1);
    assertThat(export.getName()).isEqualTo("labelled-export");
    assertThat(export.getImage()).isEqualTo(IMAGES.sparkJob());
    assertThat(export.getCommand()).startsWith("java").endsWith("-cp", "@/app/jib-classpath-file",
        "dev.pulse.labelled.ExportLabelled");
    assertThat(export.getArgs()).containsExactly("--bootstrap-servers", "pulse-kafka-kafka-bootstrap:9092",
        "--topic", "pulse.pipeline.brands.northwind.labelled", "--out", "/data/labelled.jsonl", "--min-posts", "25",
        "--termination-log", "/dev/termination-log");
    assertThat(export.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(export.getSecurityContext()).isEqualTo(OwnedObjects.restrictedContainer());
    assertThat(export.getResources().getRequests()).isEqualTo(export.getResources().getLimits())
        .containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("512Mi"));
    assertThat(export.getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath,
        VolumeMount::getReadOnly).containsExactly(org.assertj.core.groups.Tuple.tuple("dataset", "/data", false),
        org.assertj.core.groups.Tuple.tuple("tmp", "/tmp", false));

    assertThat(pod.getVolumes()).filteredOn(v -> "dataset".equals(v.getName())).singleElement().satisfies(v -> {
      assertThat(v.getEmptyDir()).as("the dataset is an emptyDir, not a ConfigMap or claim").isNotNull();
      assertThat(v.getConfigMap()).isNull();
      assertThat(v.getPersistentVolumeClaim()).isNull();
    });
    Container trainer = pod.getContainers().get(0);
    assertThat(trainer.getArgs()).containsSequence("--train-file", "/data/labelled.jsonl");
    assertThat(trainer.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getName()).isEqualTo("dataset");
      assertThat(m.getMountPath()).isEqualTo("/data");
    });
    // An empty or missing topic (exit 2) fails the Job at once, as the trainer's bad input does.
    assertThat(job.getSpec().getPodFailurePolicy().getRules()).anySatisfy(rule -> {
      assertThat(rule.getAction()).isEqualTo("FailJob");
      assertThat(rule.getOnExitCodes().getContainerName()).isEqualTo("labelled-export");
      assertThat(rule.getOnExitCodes().getValues()).containsExactly(2);
    });
  }

  @Test
  void aConfigMapDatasetHasNoInitContainerAndALabelledOneNeedsItsPipeline() {
    ModelAdapter fromConfigMap = Serialization.unmarshal(Serialization.asYaml(Samples.first("modeladapter-gemma.yaml",
        "ModelAdapter")), ModelAdapter.class);
    PodSpec pod = ModelAdapterObjects.job(fromConfigMap, IMAGES).getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers()).isEmpty();
    assertThat(pod.getVolumes()).filteredOn(v -> "dataset".equals(v.getName())).singleElement()
        .satisfies(v -> assertThat(v.getConfigMap()).isNotNull());

    assertThatThrownBy(() -> ModelAdapterObjects.job(adapter(1), IMAGES)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ModelAdapterObjects.desired(adapter(1), IMAGES)).as("pulse render without the pipeline").isEmpty();
  }

  @Test
  void theTrainingPodsMayReachKafkaOnlyWhenTheDatasetIsALabelledTopic() {
    ModelAdapter adapter = adapter(1);
    List<Integer> withTopic = NetworkPolicies.forAdapter(adapter, new LabelledSource("k-0:9093,k-1:9094", "t", 1))
        .getSpec().getEgress().stream().flatMap(r -> r.getPorts().stream()).map(p -> p.getPort().getIntVal()).toList();
    assertThat(withTopic).containsExactlyInAnyOrder(53, 53, 443, 9093, 9094);
    List<Integer> without = NetworkPolicies.forAdapter(adapter).getSpec().getEgress().stream()
        .flatMap(r -> r.getPorts().stream()).map(p -> p.getPort().getIntVal()).toList();
    assertThat(without).containsExactlyInAnyOrder(53, 53, 443);
  }

  @Test
  void aMissingPipelineOrOneWithKafkaTlsOrSaslIsReportedInsteadOfAJobThatCannotConnect() {
    AdapterDatasets.Resolution missing = AdapterDatasets.resolve(adapter(1), null);
    assertThat(missing.source()).isNull();
    assertThat(missing.reason()).isEqualTo("PipelineMissing");
    assertThat(missing.message()).contains("SentimentPipeline northwind", "namespace brands");

    SentimentPipeline secured = pipeline();
    KafkaSecurity security = new KafkaSecurity();
    security.setProtocol(KafkaSecurity.Protocol.SASL_SSL);
    secured.getSpec().getKafka().setSecurity(security);
    AdapterDatasets.Resolution refused = AdapterDatasets.resolve(adapter(1), secured);
    assertThat(refused.source()).isNull();
    assertThat(refused.reason()).isEqualTo("DatasetNotSupported");
    assertThat(refused.message()).contains("spec.kafka.security", "./pulse train-scorer --labelled",
        "--export-labelled", "pulse.pipeline.brands.northwind.labelled");
  }

  @Test
  void theExportsWaitAndItsFailureMessageBecomeTheTrainingCondition() {
    ModelAdapter adapter = adapter(1);
    Job job = ModelAdapterObjects.job(adapter, IMAGES, resolved(adapter));

    Pod pulling = pod(new ContainerStatusBuilder().withName("labelled-export").withNewState().withNewWaiting()
        .withReason("ImagePullBackOff").withMessage("pull failed").endWaiting().endState().build());
    assertThat(TrainingState.of(adapter, job, List.of(pulling)).training().getMessage())
        .contains("init container labelled-export ImagePullBackOff (pull failed)");
    Pod exporting = pod(new ContainerStatusBuilder().withName("labelled-export").withNewState().withNewRunning()
        .endRunning().endState().build());
    assertThat(TrainingState.of(adapter, job, List.of(exporting)).training().getMessage())
        .contains("labelled-export is exporting the labelled topic");

    Pod failed = pod(new ContainerStatusBuilder().withName("labelled-export").withNewState().withNewTerminated()
        .withExitCode(2).withReason("Error").withFinishedAt("2026-12-06T19:00:00Z")
        .withMessage("{\"phase\":\"Failed\",\"reason\":\"DatasetError\",\"message\":\"kafka topic "
            + "pulse.pipeline.brands.northwind.labelled does not exist at pulse-kafka-kafka-bootstrap:9092\"}")
        .endTerminated().endState().build());
    job.setStatus(new JobStatusBuilder().withConditions(new JobConditionBuilder().withType("Failed")
        .withStatus("True").withReason("PodFailurePolicy").withMessage("Container labelled-export exited 2").build())
        .build());
    TrainingState state = TrainingState.of(adapter, job, List.of(failed));
    assertThat(state.phase()).isEqualTo(Phase.Failed);
    assertThat(state.training().getReason()).isEqualTo("DatasetError");
    assertThat(state.training().getMessage()).contains("labelled-topic export: kafka topic "
        + "pulse.pipeline.brands.northwind.labelled does not exist");

    Pod crashed = pod(new ContainerStatusBuilder().withName("labelled-export").withNewState().withNewTerminated()
        .withExitCode(1).withReason("Error").withMessage("Exception in thread main: TimeoutException")
        .endTerminated().endState().build());
    assertThat(TrainingState.of(adapter, job, List.of(crashed)).training().getReason())
        .isEqualTo("DatasetExportFailed");
  }

  private static Pod pod(io.fabric8.kubernetes.api.model.ContainerStatus export) {
    return new PodBuilder().withNewMetadata().withName("p").withLabels(Map.of()).endMetadata()
        .withNewStatus().withInitContainerStatuses(export)
        .withContainerStatuses(new ContainerStatusBuilder().withName("trainer").withNewState().withNewWaiting()
            .withReason("PodInitializing").endWaiting().endState().build())
        .endStatus().build();
  }
}
