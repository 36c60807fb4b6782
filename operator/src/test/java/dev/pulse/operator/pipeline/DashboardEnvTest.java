package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.DashboardSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the operator tells the dashboard about brands, history and the gateway, in the form the dashboard binds. */
class DashboardEnvTest {

  private static Map<String, String> env(SentimentPipeline p) {
    DashboardSpec d = p.getSpec().getDashboard() == null ? new DashboardSpec() : p.getSpec().getDashboard();
    return Dashboard.env(p, d).stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static DashboardSpec.Brand brand(String name, String... terms) {
    DashboardSpec.Brand b = new DashboardSpec.Brand();
    b.setName(name);
    b.setTerms(List.of(terms));
    return b;
  }

  @Test
  void brandsBecomeNameEqualsTermsEntries() {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    p.getSpec().getDashboard().setBrands(List.of(
        brand("Northwind Air", "northwind air", " northwindair "), brand("Contoso", "contoso, inc")));
    assertThat(env(p)).containsEntry("PULSE_DASHBOARD_BRANDS_0", "Northwind Air=northwind air|northwindair")
        .containsEntry("PULSE_DASHBOARD_BRANDS_1", "Contoso=contoso, inc");
  }

  @Test
  void noBrandsNoVariable() {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    p.getSpec().getDashboard().setBrands(null);
    assertThat(env(p).keySet()).noneMatch(k -> k.startsWith("PULSE_DASHBOARD_BRANDS"));
  }

  @Test
  void lookbackIsWrittenInOneUnitBecauseSpringReadsNoOther() {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    p.getSpec().getDashboard().setLookback("1h30m");
    assertThat(env(p)).containsEntry("PULSE_DASHBOARD_HISTORY_LOOKBACK", "90m");
    p.getSpec().getDashboard().setLookback(null);
    assertThat(env(p)).containsEntry("PULSE_DASHBOARD_HISTORY_LOOKBACK", "24h");
  }

  @Test
  void gatewayUrlOnlyWhenThePipelineHasAnLlm() {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    assertThat(env(p)).containsEntry("PULSE_DASHBOARD_GATEWAY_URL", PipelineNames.gatewayUrl(p));
    p.getSpec().getLlm().setEnabled(false);
    assertThat(env(p)).doesNotContainKey("PULSE_DASHBOARD_GATEWAY_URL");
  }
}
