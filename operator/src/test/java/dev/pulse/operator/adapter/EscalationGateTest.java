package dev.pulse.operator.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.operator.pipeline.PipelineConditions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The escalation gate as the operator reads it from the trainer's termination message, and what it promotes. */
class EscalationGateTest {

  private static EscalationGate gate(String json) {
    return TrainerReport.parse("{\"phase\":\"Succeeded\",\"metrics\":{},\"gate\":" + json + "}").orElseThrow().gate();
  }

  @Test
  void aPassingGateRecommendsItsThresholdAndAFailingOneKeepsEscalationOffWhenNothingWasPromoted() {
    EscalationGate pass = gate("{\"passed\":true,\"reason\":\"BeatsLightScorer\",\"threshold\":0.7,\"escalated\":20,"
        + "\"lightOnEscalated\":0.4,\"adapterOnEscalated\":0.8,\"combined\":0.9,\"evalSamples\":60,\"lightOnly\":0.75}");
    assertThat(pass.promotes()).isTrue();
    assertThat(pass.promoted(3, null).getMessage()).startsWith("Generation 3 beats the light scorer")
        .endsWith("Recommended spec.scoring.escalationThreshold: 0.7.");

    EscalationGate fail = gate("{\"passed\":false,\"reason\":\"DoesNotBeatLightScorer\",\"threshold\":null,"
        + "\"closestThreshold\":0.6,\"escalated\":23,\"lightOnEscalated\":0.7222,\"adapterOnEscalated\":0.4167,"
        + "\"combined\":0.5857,\"evalSamples\":60,\"lightOnly\":0.7238}");
    assertThat(fail.promotes()).isFalse();
    assertThat(fail.promoted(1, null).getMessage())
        .contains("macro-recall 0.4167 against 0.7222 on 23 of 60 held-out posts")
        .contains("recommended spec.scoring.escalationThreshold is 0 (escalation off)");

    EscalationGate few = gate("{\"passed\":false,\"reason\":\"TooFewUnsure\",\"threshold\":null,\"evalSamples\":12,"
        + "\"lightOnly\":0.7,\"minEscalated\":10}");
    assertThat(few.promoted(1, "pvc://a/b/1").getReason()).isEqualTo("TooFewUnsure");

    EscalationGate unknown = gate("{\"passed\":null,\"reason\":\"NoLightScores\"}");
    assertThat(unknown.promotes()).as("no light scores: promoted as before, and said so").isTrue();
    assertThat(unknown.promoted(1, null).getReason()).isEqualTo("NotGated");
    // It names what exists: the dataset read from the labelled topic itself, and train-scorer's export for the
    // pipelines (Kafka TLS or SASL) that one cannot read yet.
    assertThat(unknown.promoted(1, null).getMessage()).contains("spec.dataset.labelledTopic.pipeline")
        .contains("./pulse train-scorer --labelled kafka://HOST:PORT/TOPIC --export-labelled train.jsonl")
        .contains("spec.dataset").doesNotContain("./pulse labelled");
  }

  @Test
  void aPipelineWhoseAdapterWasNeverPromotedLeavesItsLlmServerAsItIs() {
    ModelAdapter adapter = new ModelAdapter();
    ModelAdapterStatus status = new ModelAdapterStatus();
    status.setPhase(ModelAdapterStatus.Phase.Succeeded);
    status.setConditions(List.of(gate("{\"passed\":false,\"reason\":\"DoesNotBeatLightScorer\",\"closestThreshold\":0.6,"
        + "\"escalated\":23,\"lightOnEscalated\":0.72,\"adapterOnEscalated\":0.41,\"combined\":0.58,\"evalSamples\":60,"
        + "\"lightOnly\":0.72}").promoted(1, null)));
    adapter.setStatus(status);

    PipelineConditions.LlmWait wait = PipelineConditions.LlmWait.forAdapter("acme-lora", adapter);

    assertThat(wait.reason()).isEqualTo("AdapterNotPromoted");
    assertThat(wait.message()).startsWith("ModelAdapter acme-lora: Generation 1 is not promoted")
        .contains("the LLM server is left as it is");
  }
}
