package dev.pulse.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.operator.cli.Renderer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owned-object informer cache keeps every object the operator writes field for field (what the cache comparison
 * and the readiness checks read), except managedFields, and as deflated JSON rather than object graphs.
 */
class LeanItemStoreTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Every object the samples become, as the API server would send it back: stamped, with server fields added. */
  private static List<HasMetadata> storedSampleObjects() throws Exception {
    Renderer renderer = new Renderer(PulseImages.defaults(), "team-a", new PrintStream(OutputStream.nullOutputStream()));
    List<HasMetadata> objects = renderer.objects(renderer.read(Samples.dir()));
    int i = 0;
    for (HasMetadata o : objects) {
      DesiredState.stamp(o);
      o.getMetadata().setUid("00000000-0000-0000-0000-" + String.format("%012d", i++));
      o.getMetadata().setResourceVersion(Integer.toString(1000 + i));
      o.getMetadata().setCreationTimestamp("2026-12-06T15:00:00Z");
      o.getMetadata().setGeneration(1L);
      o.getMetadata().setManagedFields(List.of(
          new ManagedFieldsEntryBuilder().withManager("pulse-operator").withOperation("Apply")
              .withApiVersion(o.getApiVersion()).withFieldsType("FieldsV1")
              .withFieldsV1(fields(Map.of("f:metadata", Map.of("f:labels", Map.of("f:app", Map.of())))))
              .build(),
          new ManagedFieldsEntryBuilder().withManager("kube-controller-manager").withOperation("Update")
              .withSubresource("status").withFieldsType("FieldsV1")
              .withFieldsV1(fields(Map.of("f:status", Map.of("f:readyReplicas", Map.of())))).build()));
      if (o instanceof Deployment d) {
        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(1L).withReplicas(1).withReadyReplicas(1)
            .addNewCondition().withType("Available").withStatus("True").withReason("MinimumReplicasAvailable")
            .endCondition().build());
      }
    }
    return objects;
  }

  private static FieldsV1 fields(Map<String, Object> tree) {
    FieldsV1 fields = new FieldsV1();
    tree.forEach(fields::setAdditionalProperty);
    return fields;
  }

  @SuppressWarnings("unchecked")
  private static LeanItemStore<HasMetadata> storeFor(HasMetadata o) {
    return new LeanItemStore<>((Class<HasMetadata>) o.getClass(), SERIALIZATION);
  }

  private static JsonNode tree(HasMetadata o) {
    return SERIALIZATION.convertValue(o, JsonNode.class);
  }

  @Test
  void everyObjectTheOperatorWritesComesBackFieldForFieldWithoutManagedFields() throws Exception {
    List<HasMetadata> objects = storedSampleObjects();
    assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service", "ConfigMap", "KafkaTopic",
        "SparkApplication", "NetworkPolicy", "Job", "ServiceMonitor", "Role", "RoleBinding", "ServiceAccount");
    for (HasMetadata stored : objects) {
      // What the comparison needs: the desired object, stamped with its digest, as the informer would hand it over.
      HasMetadata desired = SERIALIZATION.clone(stored);
      desired.getMetadata().setManagedFields(null);
      LeanItemStore<HasMetadata> store = storeFor(stored);
      String key = store.getKey(stored);
      store.put(key, stored);

      HasMetadata read = store.get(key);

      assertThat(read.getClass()).isEqualTo(stored.getClass());
      assertThat(read.getMetadata().getManagedFields()).as(key).isNullOrEmpty();
      assertThat(store.storedJson(key)).as(key + ": kept without managedFields").doesNotContain("managedFields")
          .doesNotContain("kube-controller-manager");
      assertThat(tree(read)).as(key + ": every other field kept").isEqualTo(tree(desired));
      assertThat(DesiredState.unchanged(read, desired)).as(key + ": still compares as unchanged").isTrue();
      assertThat(read.getMetadata().getAnnotations()).containsKey(DesiredState.ANNOTATION);
    }
  }

  @Test
  void aDeploymentsStatusAndServerFieldsAreKept() throws Exception {
    Deployment stored = storedSampleObjects().stream().filter(Deployment.class::isInstance)
        .map(Deployment.class::cast).findFirst().orElseThrow();
    LeanItemStore<HasMetadata> store = storeFor(stored);
    store.put(store.getKey(stored), stored);

    Deployment read = (Deployment) store.get(store.getKey(stored));

    assertThat(read.getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(read.getStatus().getConditions()).extracting(c -> c.getType()).containsExactly("Available");
    assertThat(read.getMetadata().getResourceVersion()).isEqualTo(stored.getMetadata().getResourceVersion());
    assertThat(read.getMetadata().getCreationTimestamp()).isEqualTo("2026-12-06T15:00:00Z");
    assertThat(read.getMetadata().getOwnerReferences()).isEqualTo(stored.getMetadata().getOwnerReferences());
  }

  @Test
  void aKindWithoutAModelInItsServedVersionComesBackGeneric() {
    // Strimzi before 0.49 serves KafkaTopic as v1beta2 only; that informer caches it as a generic resource.
    GenericKubernetesResource topic = SERIALIZATION.unmarshal("""
        {"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "KafkaTopic",
         "metadata": {"name": "pulse.feed.ns.news", "namespace": "ns", "resourceVersion": "7"},
         "spec": {"partitions": 3, "replicas": 1},
         "status": {"conditions": [{"type": "Ready", "status": "True"}]}}
        """, GenericKubernetesResource.class);
    LeanItemStore<GenericKubernetesResource> store = new LeanItemStore<>(GenericKubernetesResource.class, SERIALIZATION);
    store.put(store.getKey(topic), topic);

    HasMetadata read = store.get(store.getKey(topic));

    assertThat(read).isInstanceOf(GenericKubernetesResource.class);
    assertThat(tree(read)).isEqualTo(tree(topic));
  }

  @Test
  void eachReadIsANewObjectSoACallerCannotChangeTheCache() throws Exception {
    HasMetadata stored = storedSampleObjects().get(0);
    LeanItemStore<HasMetadata> store = storeFor(stored);
    String key = store.getKey(stored);
    store.put(key, stored);

    HasMetadata first = store.get(key);
    first.getMetadata().getLabels().put("changed-by", "a-caller");

    assertThat(store.get(key)).isNotSameAs(first);
    assertThat(store.get(key).getMetadata().getLabels()).doesNotContainKey("changed-by");
  }

  @Test
  void putAndRemoveReturnThePreviousObjectAsInformersExpect() throws Exception {
    HasMetadata first = storedSampleObjects().get(0);
    LeanItemStore<HasMetadata> store = storeFor(first);
    String key = store.getKey(first);
    HasMetadata second = SERIALIZATION.clone(first);
    second.getMetadata().setResourceVersion("999999");

    assertThat(store.put(key, first)).isNull();
    assertThat(store.put(key, second).getMetadata().getResourceVersion())
        .isEqualTo(first.getMetadata().getResourceVersion());
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.keySet()).containsExactly(key);
    assertThat(store.values()).extracting(o -> o.getMetadata().getResourceVersion()).containsExactly("999999");
    assertThat(store.remove(key).getMetadata().getResourceVersion()).isEqualTo("999999");
    assertThat(store.get(key)).isNull();
    assertThat(store.remove(key)).isNull();
  }

  @Test
  void objectsAreKeptAsAFractionOfTheirJson() throws Exception {
    long json = 0;
    long kept = 0;
    for (HasMetadata stored : storedSampleObjects()) {
      LeanItemStore<HasMetadata> store = storeFor(stored);
      store.put(store.getKey(stored), stored);
      json += store.storedJson(store.getKey(stored)).length();
      kept += store.storedBytes();
    }
    assertThat(kept).as("deflated bytes kept vs JSON bytes (%d vs %d)", kept, json).isLessThan(json / 2);
  }
}
