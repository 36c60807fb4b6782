package dev.pulse.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each shipped dashboard against Grafana's published dashboard schema: the npm package @grafana/schema (13.2.3, the
 * TypeScript types Grafana generates from its CUE kinds), checked by the TypeScript compiler (5.9.3). Each dashboard
 * is an object literal of type {@code Dashboard}, so a wrong type, a missing required field or an unknown field fails;
 * each panel's options are checked against its plugin's published {@code Options}/{@code FieldConfig}.
 */
class GrafanaSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void everyShippedDashboardMatchesGrafanasSchema() throws Exception {
    List<Path> dashboards = Dashboards.files();
    assertThat(dashboards).hasSize(2);
    GrafanaSchemaCheck.Result result = check(dashboards);
    assertThat(result.exit()).as("tsc against @grafana/schema reported:\n%s", result.output()).isZero();
  }

  /** The check can fail: a shipped dashboard with four faults, each reported by tsc at its place. */
  @Test
  void aBrokenDashboardIsRejectedWithEachFault() throws Exception {
    ObjectNode d = (ObjectNode) Dashboards.read(Dashboards.dir().resolve("pulse-overview.json"));
    d.put("refresh", 30); // a number where the schema has a string ("30s")
    ObjectNode first = (ObjectNode) d.path("panels").get(0);
    ((ObjectNode) first.path("gridPos")).put("h", "8"); // a string where the schema has a number
    ((ObjectNode) d.path("panels").get(1)).put("colour", "red"); // a field Panel does not have
    ((ObjectNode) first.path("options")).putObject("legend").put("placement", "middle"); // not 'bottom' | 'right'
    Path broken = work.resolve("pulse-broken.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(broken.toFile(), d);

    GrafanaSchemaCheck.Result result = check(List.of(broken));

    assertThat(result.exit()).as(result.output()).isNotZero();
    assertThat(result.output())
        .contains("pulse-broken.ts(")
        .contains("Type 'number' is not assignable to type 'string'")
        .contains("Type 'string' is not assignable to type 'number'")
        .contains("'\"colour\"' does not exist in type")
        .contains("Type '\"middle\"' is not assignable to type 'LegendPlacement");
    assertThat(result.output().lines().filter(l -> l.contains("error TS"))).as(result.output()).hasSize(4);
  }

  private GrafanaSchemaCheck.Result check(List<Path> dashboards) throws Exception {
    GrafanaSchemaCheck.Result result = GrafanaSchemaCheck.run(work, dashboards);
    if (result.exit() == GrafanaSchemaCheck.NPM_INSTALL_FAILED) {
      fail("npm ci could not install @grafana/schema and typescript from the npm registry (needed once, then cached"
          + " in ~/.cache/pulse/grafana-schema):\n" + result.output());
    }
    return result;
  }
}
