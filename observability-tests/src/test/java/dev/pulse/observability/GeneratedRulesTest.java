package dev.pulse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.pipeline.PipelineNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PrometheusRules the operator generates, checked by the real promtool: {@code check rules} on the rule file, and
 * {@code test rules} with one case per alert that proves it fires on the series Pulse's components emit (and one that
 * it stays silent before). An alert added to Monitoring without a case here fails {@link #everyAlertHasAFiringCase}.
 */
class GeneratedRulesTest {
  private static final String NS = "brands";
  private static final String NAME = "northwind";
  private static Path bin;

  @BeforeAll
  static void promtool() {
    bin = GoBinaries.prometheus();
  }

  /** One promtool case: input series (1-minute steps), when to look, and the labels the firing alert carries. */
  private record Case(List<Map<String, String>> series, String firingAt, String silentAt, Map<String, String> labels) {}

  private static Map<String, String> series(String selector, String values) {
    return Map.of("series", selector, "values", values);
  }

  private static Map<String, String> labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  private static Map<String, Case> cases(SentimentPipeline p) {
    String sel = "namespace=\"" + NS + "\",pipeline=\"" + NAME + "\"";
    Map<String, Case> c = new LinkedHashMap<>();
    c.put("PulseCrisisAlert", new Case(List.of(
        series("pulse_alerts_total{" + sel + ",kind=\"CRISIS\"}", "0 0 0 1 1 1 1")), "5m", "2m",
        labels("namespace", NS, "pipeline", NAME, "kind", "CRISIS", "severity", "critical")));
    c.put("PulseVolumeSpike", new Case(List.of(
        series("pulse_alerts_total{" + sel + ",kind=\"SPIKE\"}", "0 0 0 1 1 1 1")), "5m", "2m",
        labels("namespace", NS, "pipeline", NAME, "kind", "SPIKE", "severity", "warning")));
    // 12 dead letters a minute = 0.2/s, over the 0.1/s threshold; firing once 'for: 15m' has passed.
    c.put("PulseDeadLettersGrowing", new Case(List.of(
        series("pulse_dead_letters_total{" + sel + ",reason=\"not_json\"}", "0+12x60")), "40m", "10m",
        labels("severity", "warning")));
    // Every post between 10 and 30 s: p99 about 29.8 s, over 10 s.
    c.put("PulseScoringSlow", new Case(List.of(
        series("pulse_ingest_to_scored_seconds_bucket{" + sel + ",le=\"10.0\"}", "0+0x60"),
        series("pulse_ingest_to_scored_seconds_bucket{" + sel + ",le=\"30.0\"}", "0+10x60"),
        series("pulse_ingest_to_scored_seconds_bucket{" + sel + ",le=\"+Inf\"}", "0+10x60")), "30m", "5m",
        labels("severity", "warning")));
    c.put("PulseDashboardLatencyHigh", new Case(List.of(
        series("pulse_dashboard_ingest_latency_seconds_bucket{" + sel + ",le=\"30.0\"}", "0+0x60"),
        series("pulse_dashboard_ingest_latency_seconds_bucket{" + sel + ",le=\"60.0\"}", "0+10x60"),
        series("pulse_dashboard_ingest_latency_seconds_bucket{" + sel + ",le=\"+Inf\"}", "0+10x60")), "30m", "5m",
        labels("severity", "warning")));
    String dashboard = PipelineNames.dashboard(p);
    c.put("PulseDashboardDown", new Case(List.of(
        series("up{namespace=\"" + NS + "\",service=\"" + dashboard + "\"}", "1 1 0x30")), "20m", "3m",
        labels("namespace", NS, "service", dashboard, "severity", "warning")));
    // Every escalation falls back: the ratio is 1.
    c.put("PulseLlmFallbackHigh", new Case(List.of(
        series("pulse_escalations_total{" + sel + "}", "0+60x60"),
        series("pulse_llm_fallbacks_total{" + sel + ",reason=\"unreachable\"}", "0+60x60")), "30m", "5m",
        labels("severity", "warning")));
    String vllm = PipelineNames.vllm(p);
    c.put("PulseVllmDown", new Case(List.of(
        series("up{namespace=\"" + NS + "\",service=\"" + vllm + "\"}", "1 1 0x30")), "25m", "5m",
        labels("namespace", NS, "service", vllm, "severity", "warning")));
    return c;
  }

  @Test
  void promtoolAcceptsTheRuleFilesWithAndWithoutAnLlm(@TempDir Path dir) throws Exception {
    for (boolean llm : new boolean[] {false, true}) {
      Path file = PulseRules.write(PulseRules.pipeline(NS, NAME, llm), dir.resolve("rules-" + llm + ".yaml"));
      Promtool.Result r = Promtool.run(bin, dir, "check", "rules", file.toString());
      assertThat(r.exit()).as(r.output()).isZero();
      assertThat(r.output()).contains("SUCCESS");
    }
  }

  @Test
  void promtoolRejectsABrokenRuleFile(@TempDir Path dir) throws Exception {
    // The check above could not fail if promtool accepted anything.
    Path broken = Files.writeString(dir.resolve("broken.yaml"),
        "groups:\n- name: x\n  rules:\n  - alert: Broken\n    expr: sum(rate(pulse_alerts_total[5m]) > \n");
    assertThat(Promtool.run(bin, dir, "check", "rules", broken.toString()).exit()).isNotZero();
  }

  @Test
  void everyAlertHasAFiringCase() {
    SentimentPipeline p = PulseRules.pipeline(NS, NAME, true);
    Set<String> alerts = new TreeSet<>();
    PulseRules.rules(p).forEach(r -> alerts.add((String) r.get("alert")));
    assertThat(cases(p).keySet()).containsExactlyInAnyOrderElementsOf(alerts);
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachAlertFiresOnTheSeriesPulseEmitsAndNotBefore(@TempDir Path dir) throws Exception {
    SentimentPipeline p = PulseRules.pipeline(NS, NAME, true);
    Path rules = PulseRules.write(p, dir.resolve("rules.yaml"));
    Map<String, Case> cases = cases(p);
    List<Object> tests = new ArrayList<>();
    for (Map<String, Object> rule : PulseRules.rules(p)) {
      String alert = (String) rule.get("alert");
      Case c = cases.get(alert);
      Map<String, Object> firing = new LinkedHashMap<>();
      firing.put("exp_labels", c.labels());
      firing.put("exp_annotations", rule.get("annotations"));
      Map<String, Object> test = new LinkedHashMap<>();
      test.put("name", alert);
      test.put("interval", "1m");
      test.put("input_series", c.series());
      test.put("alert_rule_test", List.of(
          Map.of("eval_time", c.silentAt(), "alertname", alert, "exp_alerts", List.of()),
          Map.of("eval_time", c.firingAt(), "alertname", alert, "exp_alerts", List.of(firing))));
      tests.add(test);
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("rule_files", List.of(rules.getFileName().toString()));
    file.put("evaluation_interval", "1m");
    file.put("tests", tests);
    Path testFile = dir.resolve("rules-test.yaml");
    PulseRules.YAML.writeValue(testFile.toFile(), file);

    Promtool.Result r = Promtool.run(bin, dir, "test", "rules", testFile.getFileName().toString());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }
}
