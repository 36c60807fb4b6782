package dev.pulse.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.operator.support.ServerSideApply;
import dev.pulse.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the operator bench's figures rest on, checked against the real API server: a write request is counted once
 * by verb, and a server-side apply that changes nothing is a request but never a stored write.
 */
class ApiServerMetricsTest {

  @Test
  void aNoOpServerSideApplyIsARequestButNoStoredWrite() {
    KubeApiServer server = KubeApiServer.shared();
    KubernetesClient client = server.client();
    String ns = server.createNamespace("bench-metrics");
    ApiServerMetrics metrics = new ApiServerMetrics(client);
    ConfigMap desired = new ConfigMapBuilder().withNewMetadata().withName("counted").withNamespace(ns).endMetadata()
        .withData(Map.of("k", "v")).build();

    ApiServerMetrics.Snapshot before = metrics.snapshot();
    ServerSideApply.apply(client, desired);
    ApiServerMetrics.Snapshot created = OperatorBench.operatorOnly(metrics.snapshot().minus(before));
    assertThat(created.requests()).containsEntry("configmaps APPLY", 1L);
    assertThat(created.changes()).containsEntry("configmaps", 1L);

    ApiServerMetrics.Snapshot again = metrics.snapshot();
    ServerSideApply.apply(client, desired);
    ApiServerMetrics.Snapshot noOp = OperatorBench.operatorOnly(metrics.snapshot().minus(again));
    assertThat(noOp.requests()).containsEntry("configmaps APPLY", 1L);
    assertThat(noOp.changes()).doesNotContainKey("configmaps");
  }
}
