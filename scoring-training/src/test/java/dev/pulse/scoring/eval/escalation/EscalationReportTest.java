package dev.pulse.scoring.eval.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Label;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.eval.LabelledPost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscalationReportTest {
  private static final Label N = Label.NEGATIVE;
  private static final Label U = Label.NEUTRAL;
  private static final Label P = Label.POSITIVE;

  /** Gold, light label, light confidence; the escalated ones (confidence < 0.6) get the given LLM answers. */
  private static EscalationReport report(Label[] gold, Label[] light, double[] confidence, Label[] llm, boolean[] fromLlm) {
    List<LabelledPost> posts = new ArrayList<>();
    List<Score> scores = new ArrayList<>();
    List<Integer> escalated = new ArrayList<>();
    for (int i = 0; i < gold.length; i++) {
      posts.add(new LabelledPost("p" + i, "post " + i, gold[i]));
      scores.add(new Score(light[i], 0, confidence[i], false, new double[3]));
      if (confidence[i] < 0.6) escalated.add(i);
    }
    List<GatewayClassifier.Answer> answers = new ArrayList<>();
    for (int k = 0; k < escalated.size(); k++) {
      answers.add(new GatewayClassifier.Answer(llm[k], fromLlm[k], fromLlm[k] ? null : "TIMEOUT"));
    }
    return EscalationReport.of("m", 0.6, posts, scores, escalated, answers, 1.0, 2.0);
  }

  @Test
  void anLlmThatFixesTheUnsurePostsPassesTheGateAndIsRecommended() {
    Label[] gold = {N, U, P, N, U, P};
    Label[] light = {N, U, P, P, P, N};        // the last three are wrong and unsure
    double[] conf = {0.9, 0.9, 0.9, 0.3, 0.4, 0.5};
    EscalationReport r = report(gold, light, conf, new Label[] {N, U, P}, new boolean[] {true, true, true});

    assertThat(r.escalated()).isEqualTo(3);
    assertThat(r.lightOnEscalated().accuracy()).isZero();
    assertThat(r.llmOnEscalated().accuracy()).isEqualTo(1.0);
    assertThat(r.combined().macroRecall()).isEqualTo(1.0);
    assertThat(r.light().macroRecall()).isEqualTo(0.5);
    assertThat(r.llmBeatsLight()).isTrue();
    // At 0.35 only the first unsure post goes; at 0.55 all three: the best is the smallest threshold reaching 1.0.
    assertThat(r.recommendedThreshold()).isEqualTo(0.55, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(r.render()).contains("gate       PASS").contains("3 of 6 posts escalated (50.0%)");
  }

  @Test
  void anLlmNoBetterThanTheLightScorerFailsTheGateAndNoThresholdIsRecommended() {
    Label[] gold = {N, U, P, N};
    Label[] light = {N, U, P, N};
    double[] conf = {0.9, 0.9, 0.2, 0.3};
    EscalationReport r = report(gold, light, conf, new Label[] {N, P}, new boolean[] {true, true});

    assertThat(r.llmBeatsLight()).isFalse();
    assertThat(r.recommendedThreshold()).isZero();
    assertThat(r.render()).contains("gate       FAIL").contains("0 (no escalation)");
  }

  @Test
  void aFallbackKeepsTheLightLabelAndIsCounted() {
    Label[] gold = {N, P};
    Label[] light = {N, N};
    double[] conf = {0.9, 0.1};
    EscalationReport r = report(gold, light, conf, new Label[] {N}, new boolean[] {false});

    assertThat(r.llmAnswered()).isZero();
    assertThat(r.fallbacks()).containsEntry("TIMEOUT", 1);
  }
}
