package dev.pulse.operator.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.operator.reconcile.ModelAdapterReconciler;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ModelAdapter reconciliation against a real kube-apiserver. Neither the Job controller nor a kubelet runs there:
 * the tests write the Job's status and create the training pod with its termination message themselves, exactly
 * as those would ("...AsTheJobControllerAndKubeletReport...").
 */
class ModelAdapterOnRealApiServerTest {

  private static final String NAME = "northwind-gemma-sentiment";
  private static final String SUCCESS = "{\"phase\":\"Succeeded\",\"adapterPath\":\"/output/adapters/" + NAME + "/1\","
      + "\"metrics\":{\"accuracy\":0.8123,\"macroRecall\":0.7741,\"evalLoss\":0.4412,\"trainLoss\":0.39,\"steps\":120},"
      + "\"device\":\"cuda\",\"quantization\":\"nf4\",\"chatTemplate\":\"chat_template.jinja\"}";

  private static RunningOperator operator;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    operator = RunningOperator.start(new ModelAdapterReconciler());
    client = operator.testClient();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void sampleTrainsInAJobAndReportsMetricsAsTheJobControllerAndKubeletReportSuccess() {
    String ns = operator.server().createNamespace("adapter");
    createInputs(ns);
    createSample(ns);

    Job job = awaitJob(ns, NAME + "-train-1");
    // Its pods are confined before they exist: no ingress; egress to DNS and, with a Hub token, HTTPS only.
    var policy = client.network().v1().networkPolicies().inNamespace(ns).withName(NAME + "-trainer-net").get();
    assertThat(policy).as("the training pods' NetworkPolicy").isNotNull();
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsAllEntriesOf(java.util.Map.of("app.kubernetes.io/component", "trainer"));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
    assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts()).extracting(p -> p.getPort().getIntVal())
        .containsExactlyInAnyOrder(53, 53, 443);
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(4 * 3600L);
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("ModelAdapter"));
    Container trainer = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(trainer.getCommand()).containsExactly("python", "-m", "pulse_trainer.train");
    assertThat(String.join(" ", trainer.getArgs())).isEqualTo("--base-model google/gemma-2b"
        + " --train-file /data/train.jsonl --eval-fraction 0.1 --output-dir /output/adapters/" + NAME + "/1"
        + " --lora-r 16 --lora-alpha 32 --lora-dropout 0.05 --target-modules q_proj,k_proj,v_proj,o_proj"
        + " --epochs 3 --learning-rate 0.0002 --max-length 256 --batch-size 4 --grad-accum 4 --resume"
        + " --termination-message-path /dev/termination-log");
    assertThat(trainer.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(trainer.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(trainer.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("HF_TOKEN");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
    });
    assertThat(awaitAdapter(ns, a -> a.getStatus().getPhase() != null).getStatus().getPhase())
        .isEqualTo(ModelAdapterStatus.Phase.Pending);

    // The Job controller starts the pod and it becomes ready.
    editJobStatus(ns, job.getMetadata().getName(), new JobStatusBuilder().withActive(1).withReady(1)
        .withStartTime("2026-11-24T10:00:00Z").build());
    awaitAdapter(ns, a -> a.getStatus().getPhase() == ModelAdapterStatus.Phase.Training);

    // The kubelet records the trainer's termination message; the Job controller marks the Job complete.
    createTerminatedPod(ns, job, 0, SUCCESS);
    editJobStatus(ns, job.getMetadata().getName(), new JobStatusBuilder().withActive(0).withReady(0).withSucceeded(1)
        .withStartTime("2026-11-24T10:00:00Z").withCompletionTime("2026-11-24T10:42:00Z")
        .withConditions(
            new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True").build(),
            new JobConditionBuilder().withType("Complete").withStatus("True").build())
        .build());

    ModelAdapter trained = awaitAdapter(ns, a -> a.getStatus().getPhase() == ModelAdapterStatus.Phase.Succeeded
        && a.getStatus().getMetrics() != null);
    assertThat(trained.getStatus().getAdapterPath()).isEqualTo("pvc://pulse-adapters/adapters/" + NAME + "/1");
    assertThat(trained.getStatus().getChatTemplate()).as("the file vLLM gets as --chat-template")
        .isEqualTo("chat_template.jinja");
    assertThat(trained.getStatus().getMetrics().getMacroRecall()).isEqualTo(0.7741);
    assertThat(trained.getStatus().getMetrics().getAccuracy()).isEqualTo(0.8123);
    assertThat(trained.getStatus().getMetrics().getEvalLoss()).isEqualTo(0.4412);
    assertThat(trained.getStatus().condition("Ready").orElseThrow().holds()).isTrue();
    assertThat(trained.getStatus().condition("Training").orElseThrow().getReason()).isEqualTo("TrainingSucceeded");

    // Resyncs of a trained adapter write nothing: neither its status nor its Job.
    sleep(1500);
    String adapterVersion = client.resources(ModelAdapter.class).inNamespace(ns).withName(NAME).get()
        .getMetadata().getResourceVersion();
    String jobVersion = client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).get()
        .getMetadata().getResourceVersion();
    sleep(3 * RunningOperator.RESYNC.toMillis() + 500);
    assertThat(client.resources(ModelAdapter.class).inNamespace(ns).withName(NAME).get().getMetadata()
        .getResourceVersion()).isEqualTo(adapterVersion);
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).get().getMetadata()
        .getResourceVersion()).isEqualTo(jobVersion);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aNewGenerationReplacesTheJobAndATrainerFailureIsReportedWithItsReason() {
    String ns = operator.server().createNamespace("adapter-fail");
    createInputs(ns);
    createSample(ns);
    awaitJob(ns, NAME + "-train-1");

    // A merge patch carries no resourceVersion: it cannot conflict with the operator's status writes.
    client.resources(ModelAdapter.class).inNamespace(ns).withName(NAME)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"lora\":{\"r\":8}}}");
    Job second = awaitJob(ns, NAME + "-train-2");
    assertThat(second.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsSequence("--lora-r", "8");
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Job first = client.batch().v1().jobs().inNamespace(ns).withName(NAME + "-train-1").get();
      return first == null || first.getMetadata().getDeletionTimestamp() != null;
    });

    createTerminatedPod(ns, second, 2, "{\"phase\":\"Failed\",\"reason\":\"InvalidArgument\","
        + "\"message\":\"--train-file /data/train.jsonl: no such file\"}");
    editJobStatus(ns, second.getMetadata().getName(), new JobStatusBuilder().withFailed(1)
        .withStartTime("2026-11-24T10:00:00Z")
        .withConditions(
            new JobConditionBuilder().withType("FailureTarget").withStatus("True").withReason("PodFailurePolicy")
                .withMessage("Container trainer for pod exited with code 2 matching FailJob rule at index 0").build(),
            new JobConditionBuilder().withType("Failed").withStatus("True").withReason("PodFailurePolicy")
                .withMessage("Container trainer for pod exited with code 2 matching FailJob rule at index 0").build())
        .build());

    ModelAdapter failed = awaitAdapter(ns, a -> a.getStatus().getPhase() == ModelAdapterStatus.Phase.Failed);
    var ready = failed.getStatus().condition("Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("InvalidArgument");
    assertThat(ready.getMessage()).contains("no such file");
    assertThat(failed.getStatus().getAdapterPath()).isNull();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(operator.eventsAbout(failed))
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("InvalidArgument");
          assertThat(e.getType()).isEqualTo("Warning");
        }));
  }

  /** A success as the trainer writes it (termination.success) with its escalation gate (gate.escalation_gate). */
  private static String successWithGate(int generation, String gate) {
    return "{\"phase\":\"Succeeded\",\"adapterPath\":\"/output/adapters/" + NAME + "/" + generation + "\","
        + "\"chatTemplate\":\"template-" + generation + ".jinja\","
        + "\"metrics\":{\"accuracy\":0.71,\"macroRecall\":0.69,\"evalLoss\":0.61,\"trainLoss\":0.58,\"steps\":40},"
        + "\"device\":\"cpu\",\"quantization\":\"none\",\"gate\":" + gate + "}";
  }

  private static void complete(String ns, Job job, String message) {
    createTerminatedPod(ns, job, 0, message);
    editJobStatus(ns, job.getMetadata().getName(), new JobStatusBuilder().withActive(0).withReady(0).withSucceeded(1)
        .withStartTime("2026-11-24T10:00:00Z").withCompletionTime("2026-11-24T10:42:00Z")
        .withConditions(new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True").build(),
            new JobConditionBuilder().withType("Complete").withStatus("True").build())
        .build());
  }

  @Test
  void anAdapterThatDoesNotBeatTheLightScorerIsNotPromotedAndTheOnePromotedBeforeStays() {
    String ns = operator.server().createNamespace("adapter-gate");
    createInputs(ns);
    createSample(ns);

    // Generation 1 beats the light scorer on the posts under 0.6: promoted, with that threshold recommended.
    complete(ns, awaitJob(ns, NAME + "-train-1"), successWithGate(1, "{\"passed\":true,\"reason\":\"BeatsLightScorer\","
        + "\"threshold\":0.6,\"escalated\":48,\"lightOnEscalated\":0.52,\"adapterOnEscalated\":0.61,"
        + "\"combined\":0.74,\"evalSamples\":120,\"lightOnly\":0.71}"));
    ModelAdapter first = awaitAdapter(ns, a -> a.getStatus().condition(EscalationGate.PROMOTED).isPresent());
    var promoted = first.getStatus().condition(EscalationGate.PROMOTED).orElseThrow();
    assertThat(promoted.holds()).isTrue();
    assertThat(promoted.getReason()).isEqualTo("BeatsLightScorer");
    assertThat(promoted.getMessage()).contains("Recommended spec.scoring.escalationThreshold: 0.6")
        .contains("0.61 against 0.52 on the 48 of 120 held-out posts");
    assertThat(first.getStatus().getAdapterPath()).isEqualTo("pvc://pulse-adapters/adapters/" + NAME + "/1");
    assertThat(first.getStatus().condition("Ready").orElseThrow().holds()).isTrue();

    // Generation 2 trains fine but loses to the light scorer where it would serve: not promoted.
    client.resources(ModelAdapter.class).inNamespace(ns).withName(NAME)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"lora\":{\"r\":8}}}");
    Job second = awaitJob(ns, NAME + "-train-2");
    ModelAdapter training = awaitAdapter(ns, a -> a.getStatus().getPhase() == ModelAdapterStatus.Phase.Pending);
    assertThat(training.getStatus().getAdapterPath()).as("generation 1 stays served while 2 trains")
        .isEqualTo("pvc://pulse-adapters/adapters/" + NAME + "/1");
    complete(ns, second, successWithGate(2, "{\"passed\":false,\"reason\":\"DoesNotBeatLightScorer\","
        + "\"threshold\":null,\"closestThreshold\":0.5,\"escalated\":31,\"lightOnEscalated\":0.55,"
        + "\"adapterOnEscalated\":0.42,\"combined\":0.66,\"evalSamples\":120,\"lightOnly\":0.71}"));

    ModelAdapter refused = awaitAdapter(ns, a -> a.getStatus().getPhase() == ModelAdapterStatus.Phase.Succeeded
        && a.getStatus().condition(EscalationGate.PROMOTED).map(c -> !c.holds()).orElse(false));
    var notPromoted = refused.getStatus().condition(EscalationGate.PROMOTED).orElseThrow();
    assertThat(notPromoted.getReason()).isEqualTo("DoesNotBeatLightScorer");
    assertThat(notPromoted.getMessage()).startsWith("Generation 2 is not promoted")
        .contains("closest at threshold 0.5: macro-recall 0.42 against 0.55 on 31 of 120")
        .contains("keep serving the adapter promoted before (pvc://pulse-adapters/adapters/" + NAME + "/1)");
    assertThat(refused.getStatus().getAdapterPath()).isEqualTo("pvc://pulse-adapters/adapters/" + NAME + "/1");
    assertThat(refused.getStatus().getChatTemplate()).as("the served generation's template, not the refused one's")
        .isEqualTo("template-1.jinja");
    assertThat(refused.getStatus().condition("Ready").orElseThrow().getReason()).isEqualTo("DoesNotBeatLightScorer");
    // A pipeline referencing it keeps serving generation 1 and says why.
    assertThat(dev.pulse.operator.pipeline.PipelineConditions.LlmWait.forAdapter(NAME, refused)).isNull();
  }

  @Test
  void aMissingHubTokenSecretStartsNoJob() {
    String ns = operator.server().createNamespace("adapter-secret");
    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("northwind-labelled-posts").endMetadata().addToData("train.jsonl", "{}").build()).create();
    createSample(ns);

    ModelAdapter waiting = awaitAdapter(ns, a -> a.getStatus().condition("Ready")
        .map(c -> "SecretMissing".equals(c.getReason())).orElse(false));
    assertThat(waiting.getStatus().condition("Ready").orElseThrow().getMessage()).contains("hf-token");
    assertThat(waiting.getStatus().getPhase()).isEqualTo(ModelAdapterStatus.Phase.Pending);
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void anOutputClaimThatIsNotReadWriteManyIsReportedBecauseARetrainOnAnotherNodeWouldHang() {
    String rwo = operator.server().createNamespace("adapter-rwo");
    createInputs(rwo);
    createClaim(rwo, "ReadWriteOnce");
    createSample(rwo);
    var once = awaitAdapter(rwo, a -> a.getStatus().condition(AdapterStorage.STORAGE).isPresent())
        .getStatus().condition(AdapterStorage.STORAGE).orElseThrow();
    assertThat(once.getStatus()).isEqualTo("False");
    assertThat(once.getReason()).isEqualTo("ReadWriteOnceStorage");
    assertThat(once.getMessage()).contains("pulse-adapters", "ReadWriteOnce", "Multi-Attach", "ReadWriteMany");
    // A warning, not a failure: the first training on such a claim works, so the Job is still created.
    awaitJob(rwo, NAME + "-train-1");

    // A claim created after the adapter is read at a resync.
    String many = operator.server().createNamespace("adapter-rwx");
    createInputs(many);
    createSample(many);
    assertThat(awaitAdapter(many, a -> a.getStatus().condition(AdapterStorage.STORAGE).isPresent())
        .getStatus().condition(AdapterStorage.STORAGE).orElseThrow().getReason()).isEqualTo("ClaimNotFound");
    createClaim(many, "ReadWriteMany");
    assertThat(awaitAdapter(many, a -> a.getStatus().condition(AdapterStorage.STORAGE)
        .map(c -> "True".equals(c.getStatus())).orElse(false)).getStatus().condition("Ready")).isPresent();
  }

  @Test
  void aLabelledTopicDatasetWaitsForItsPipelineThenExportsTheTopicInAnInitContainer() {
    String ns = operator.server().createNamespace("adapter-labelled");
    createInputs(ns);
    var adapter = Samples.first("modeladapter-gemma.yaml", "ModelAdapter");
    Samples.with(adapter, "spec.dataset.configMap", null);
    Samples.with(adapter, "spec.dataset.labelledTopic", java.util.Map.of("pipeline", "northwind", "minPosts", 20));
    client.genericKubernetesResources("pulse.dev/v1alpha1", "ModelAdapter").inNamespace(ns).resource(adapter).create();

    ModelAdapter waiting = awaitAdapter(ns, a -> a.getStatus().condition("Training")
        .map(c -> "PipelineMissing".equals(c.getReason())).orElse(false));
    assertThat(waiting.getStatus().condition("Training").orElseThrow().getMessage()).contains("northwind");
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).as("no Job without its dataset").isEmpty();

    // The pipeline appears: the recheck finds it and the Job exports its labelled topic before training.
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline").inNamespace(ns)
        .resource(Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline")).create();
    Job job = await().atMost(Duration.ofSeconds(120)).until(
        () -> client.batch().v1().jobs().inNamespace(ns).withName(NAME + "-train-1").get(), j -> j != null);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers()).singleElement().satisfies(c -> {
      assertThat(c.getName()).isEqualTo("labelled-export");
      assertThat(c.getArgs()).containsSequence("--topic", "pulse.pipeline." + ns + ".northwind.labelled")
          .containsSequence("--min-posts", "20");
    });
    assertThat(pod.getContainers().get(0).getArgs()).containsSequence("--train-file", "/data/labelled.jsonl");
    var policy = client.network().v1().networkPolicies().inNamespace(ns).withName(NAME + "-trainer-net").get();
    assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts()).extracting(p -> p.getPort().getIntVal())
        .as("DNS, the Hub and the pipeline's Kafka").containsExactlyInAnyOrder(53, 53, 443, 9092);
  }

  @Test
  void aLabelledTopicOfAPipelineWithKafkaSaslIsRefusedWithTheExportWorkaround() {
    String ns = operator.server().createNamespace("adapter-sasl");
    createInputs(ns);
    var pipeline = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    // kafka.security applies to bootstrap servers, not a Strimzi cluster name (a CEL rule of the CRD).
    Samples.with(pipeline, "spec.kafka.clusterName", null);
    Samples.with(pipeline, "spec.kafka.bootstrapServers", "kafka-0.kafka:9093");
    Samples.with(pipeline, "spec.kafka.security", java.util.Map.of("protocol", "SASL_SSL", "sasl", java.util.Map.of(
        "mechanism", "SCRAM_SHA_512", "username", "pulse", "passwordSecret", java.util.Map.of("name", "kafka-pw"))));
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline").inNamespace(ns).resource(pipeline)
        .create();
    var adapter = Samples.first("modeladapter-gemma.yaml", "ModelAdapter");
    Samples.with(adapter, "spec.dataset.configMap", null);
    Samples.with(adapter, "spec.dataset.labelledTopic", java.util.Map.of("pipeline", "northwind"));
    client.genericKubernetesResources("pulse.dev/v1alpha1", "ModelAdapter").inNamespace(ns).resource(adapter).create();

    ModelAdapter refused = awaitAdapter(ns, a -> a.getStatus().condition("Training")
        .map(c -> "DatasetNotSupported".equals(c.getReason())).orElse(false));
    assertThat(refused.getStatus().condition("Training").orElseThrow().getMessage())
        .contains("--export-labelled", "spec.kafka.security");
    assertThat(refused.getStatus().condition("Ready").orElseThrow().holds()).isFalse();
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
  }

  private static void createClaim(String ns, String accessMode) {
    client.persistentVolumeClaims().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model
        .PersistentVolumeClaimBuilder().withNewMetadata().withName("pulse-adapters").endMetadata()
        .withNewSpec().withAccessModes(accessMode).withNewResources()
          .addToRequests("storage", new Quantity("10Gi")).endResources().endSpec().build()).create();
  }

  private static void createInputs(String ns) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("hf-token").endMetadata()
        .addToStringData("token", "hf_not_a_real_token").build()).create();
    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("northwind-labelled-posts").endMetadata()
        .addToData("train.jsonl", "{\"text\":\"great flight\",\"label\":\"positive\"}\n").build()).create();
  }

  private static void createSample(String ns) {
    client.genericKubernetesResources("pulse.dev/v1alpha1", "ModelAdapter").inNamespace(ns)
        .resource(Samples.first("modeladapter-gemma.yaml", "ModelAdapter")).create();
  }

  private static void editJobStatus(String ns, String name, io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
    RunningOperator.retryOnConflict(() -> client.batch().v1().jobs().inNamespace(ns).withName(name).editStatus(j -> {
      j.setStatus(status);
      return j;
    }));
  }

  /** A pod of the Job as the Job controller creates it, then its status as the kubelet reports the finished run. */
  private static void createTerminatedPod(String ns, Job job, int exitCode, String message) {
    Pod pod = client.pods().inNamespace(ns).resource(new PodBuilder()
        .withNewMetadata().withGenerateName(job.getMetadata().getName() + "-")
          .withLabels(job.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
        .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
        .withContainerStatuses(new ContainerStatusBuilder().withName("trainer").withImage("trainer").withImageID("")
            .withReady(false).withRestartCount(0)
            .withNewState().withNewTerminated().withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error")
              .withMessage(message).withFinishedAt("2026-11-24T10:41:00Z").endTerminated().endState()
            .build())
        .build());
    client.pods().inNamespace(ns).resource(pod).updateStatus();
  }

  private static Job awaitJob(String ns, String name) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> client.batch().v1().jobs().inNamespace(ns).withName(name).get(), j -> j != null);
  }

  private static ModelAdapter awaitAdapter(String ns, Predicate<ModelAdapter> until) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> client.resources(ModelAdapter.class).inNamespace(ns).withName(NAME).get(),
        a -> a != null && a.getStatus() != null && until.test(a));
  }
}
