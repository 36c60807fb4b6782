package dev.pulse.operator.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus.Phase;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A training pod the scheduler cannot place (seen on the real cluster: a CPU adapter asking for more cores than the
 * node had left) is reported with the scheduler's reason, not as a question about free GPUs.
 */
class UnschedulableTrainingPodTest {

  private static final String SCHEDULER_MESSAGE = "0/1 nodes are available: 1 Insufficient cpu. no new claims to "
      + "deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";

  @Test
  void theSchedulersReasonBecomesTheTrainingCondition() {
    ModelAdapter adapter = Serialization.unmarshal(Serialization.asYaml(Samples.first("modeladapter-gemma.yaml",
        "ModelAdapter")), ModelAdapter.class);
    adapter.getMetadata().setNamespace("brands");
    adapter.getSpec().getResources().setGpus(0);
    Job job = ModelAdapterObjects.job(adapter, PulseImages.defaults());
    Pod pending = new PodBuilder().withNewMetadata().withName("p").endMetadata()
        .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage(SCHEDULER_MESSAGE).endCondition().endStatus().build();

    TrainingState state = TrainingState.of(adapter, job, List.of(pending));

    assertThat(state.phase()).isEqualTo(Phase.Pending);
    assertThat(state.training().getReason()).isEqualTo("JobPending");
    assertThat(state.training().getMessage())
        .contains("cannot be scheduled")
        .contains("Unschedulable: " + SCHEDULER_MESSAGE)
        .doesNotContain("GPU");
  }
}
