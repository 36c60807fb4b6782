package dev.pulse.llm.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.llm.GatewayTestSupport;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest extends GatewayTestSupport {

  @Test
  void healthReportsBothBackendsAndProbesStayUp() throws Exception {
    Response health = get("/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().at("/components/qdrant/status").asText()).isEqualTo("UP");
    assertThat(health.json().at("/components/qdrant/details/collection").asText()).isEqualTo(COLLECTION);
    assertThat(health.json().at("/components/vllm/status").asText()).isEqualTo("UP");
    assertThat(health.body()).doesNotContain(QDRANT_KEY);

    QDRANT.failing(true);
    assertThat(get("/actuator/health").json().at("/components/qdrant/status").asText()).isEqualTo("DOWN");
    // The gateway still answers without Qdrant, so it stays ready and alive.
    assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(get("/actuator/health/liveness").status()).isEqualTo(200);
  }

  @Test
  void prometheusEndpointServesTheGatewayMeters() throws Exception {
    Response r = get("/actuator/prometheus");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("pulse_gateway_llm_in_flight").contains("pulse_gateway_llm_queued");
  }
}
