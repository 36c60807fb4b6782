package dev.pulse.operator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.pulse.crd.common.PulseCondition;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.QdrantStandIn;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Fuzzed custom resources: the samples with 1-3 fields, picked from the CRD's own OpenAPI schema, set to hostile values
 * of the field's type (empty, 10,000 characters, unicode and control characters, odd durations, 0, -1, huge numbers).
 * Each is either rejected by the API server with a message, or accepted and then reported by the operator: a status
 * for its generation, a Ready condition with a reason and a message, and an Event. Meanwhile the operator keeps
 * reconciling (a valid resource created last still gets its status) and never logs a Secret value. Bounded for the
 * default run ({@code -Dpulse.fuzz.count}, default 40 resources, seed {@code -Dpulse.fuzz.seed}); a longer soak:
 * {@code -Dpulse.fuzz.count=1000}.
 */
class FuzzedResourcesOnRealApiServerTest {

  private static final int COUNT = Integer.getInteger("pulse.fuzz.count", 40);
  private static final long SEED = Long.getLong("pulse.fuzz.seed", System.nanoTime());
  private static final String SECRET_VALUE = "pulse-fuzz-secret-" + UUID.randomUUID();
  private static final List<Object> STRINGS = List.of("", "x".repeat(10_000), "ünïcødé 💥 \u202e", "a\nb\tc\u0000",
      "1h30m", "1.5s", "-1s", "0s", "999999999h", "../../etc/passwd", "${jndi:ldap://x}", "UPPER_case.Dots-",
      "http://", "\"'`;");
  private static final List<Object> INTEGERS = List.of(0, -1, 1, Integer.MAX_VALUE, Long.MAX_VALUE, 65536);
  private static final List<Object> NUMBERS = List.of(0, -1, 1e308, -1e308, 0.5);

  record Outcome(String kind, String name, String mutation, String rejection) {}

  @Test
  void hostileResourcesAreRejectedOrReportedAndNeverCrashOrLeakASecret() throws Exception {
    System.out.println("fuzz: " + COUNT + " resources, seed " + SEED + " (-Dpulse.fuzz.seed to replay)");
    Random random = new Random(SEED);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    SourceFeedReconciler feeds = new SourceFeedReconciler();
    SentimentPipelineReconciler pipelines = new SentimentPipelineReconciler();
    try (QdrantStandIn qdrant = new QdrantStandIn(SECRET_VALUE);
         RunningOperator operator = RunningOperator.start(feeds, pipelines)) {
      KubernetesClient client = operator.testClient();
      String ns = operator.server().createNamespace("fuzz");
      for (String[] s : new String[][] {{"qdrant-api", "api-key"}, {"hf-token", "token"},
          {"pulse-dashboard-token", "token"}, {"reddit-oauth", "client-id"}, {"x-api", "bearer-token"}}) {
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(s[0]).endMetadata()
            .withStringData(Map.of(s[1], SECRET_VALUE, "client-secret", SECRET_VALUE)).build()).create();
      }
      Map<String, JSONSchemaProps> specs = new LinkedHashMap<>();
      for (CustomResourceDefinition crd : CrdInstaller.generatedPulseCrds()) {
        specs.put(crd.getSpec().getNames().getKind(),
            crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec"));
      }
      List<String[]> samples = List.of(new String[] {"sourcefeed-rss-news.yaml", "SourceFeed"},
          new String[] {"sourcefeed-reddit.yaml", "SourceFeed"}, new String[] {"sourcefeed-x.yaml", "SourceFeed"},
          new String[] {"sentimentpipeline-northwind.yaml", "SentimentPipeline"});

      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < COUNT; i++) {
        String[] sample = samples.get(random.nextInt(samples.size()));
        GenericKubernetesResource r = Samples.first(sample[0], sample[1]);
        r.getMetadata().setName("fuzz-" + i);
        r.getMetadata().setNamespace(ns);
        if ("SentimentPipeline".equals(sample[1])) {
          Samples.with(r, "spec.vectorStore.host", "127.0.0.1");
          Samples.with(r, "spec.vectorStore.grpcPort", qdrant.port());
        }
        List<String> leaves = new ArrayList<>();
        leaves(specs.get(sample[1]), "spec", leaves);
        StringBuilder mutation = new StringBuilder();
        for (int m = 0, n = 1 + random.nextInt(2); m < n; m++) {
          String leaf = leaves.get(random.nextInt(leaves.size()));
          Object value = hostile(schemaAt(specs.get(sample[1]), leaf), random);
          set(r, leaf, value);
          String shown = String.valueOf(value);
          mutation.append(leaf).append('=').append(shown.length() > 30 ? shown.substring(0, 30) + "..." : shown)
              .append(' ');
        }
        try {
          client.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(ns).resource(r).create();
          outcomes.add(new Outcome(sample[1], r.getMetadata().getName(), mutation.toString(), null));
        } catch (KubernetesClientException rejected) {
          String message = rejected.getStatus() == null ? rejected.getMessage() : rejected.getStatus().getMessage();
          assertThat(rejected.getCode()).as(mutation.toString()).isIn(400, 422);
          assertThat(message).as("rejection of " + mutation).isNotBlank();
          outcomes.add(new Outcome(sample[1], r.getMetadata().getName(), mutation.toString(), message));
        }
      }
      long accepted = outcomes.stream().filter(o -> o.rejection() == null).count();
      System.out.printf("fuzz: %d rejected by the API server with a message, %d accepted%n", COUNT - accepted, accepted);

      for (Outcome o : outcomes) {
        if (o.rejection() != null) {
          continue;
        }
        PulseCondition ready = await().atMost(Duration.ofSeconds(90)).until(() -> ready(client, ns, o),
            c -> c != null && c.getReason() != null && !c.getMessage().isBlank());
        // Events are recorded right after the status write that stores the transition.
        await().atMost(Duration.ofSeconds(30)).alias("an Event about " + o.kind() + " " + o.name() + " ("
                + o.mutation() + "), Ready " + ready.getReason())
            .until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> o.name().equals(e.getInvolvedObject().getName())));
      }

      // Still reconciling after all that: a valid feed gets its status.
      GenericKubernetesResource valid = Samples.first("sourcefeed-rss-news.yaml", "SourceFeed");
      valid.getMetadata().setName("after-the-fuzz");
      client.genericKubernetesResources(valid.getApiVersion(), valid.getKind()).inNamespace(ns).resource(valid).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> ready(client, ns,
          new Outcome("SourceFeed", "after-the-fuzz", "", null)) != null);
    } finally {
      root.detachAppender(logs);
    }
    List<String> leaked = logs.list.stream().map(e -> e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
        .filter(line -> line.contains(SECRET_VALUE)).toList();
    assertThat(leaked).as("log lines with a Secret's value").isEmpty();
  }

  private static PulseCondition ready(KubernetesClient client, String ns, Outcome o) {
    GenericKubernetesResource r = client.genericKubernetesResources("pulse.dev/v1alpha1", o.kind()).inNamespace(ns)
        .withName(o.name()).get();
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !Long.valueOf(r.getMetadata().getGeneration()).equals(asLong(status.get("observedGeneration")))
        || !(status.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    return conditions.stream().map(c -> Serialization.jsonMapper().convertValue(c, PulseCondition.class))
        .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
  }

  private static Long asLong(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  /** Every scalar field of the schema, as a dotted path (arrays: their first element). */
  private static void leaves(JSONSchemaProps schema, String path, List<String> out) {
    if (schema == null) {
      return;
    }
    if (schema.getProperties() != null && !schema.getProperties().isEmpty()) {
      schema.getProperties().forEach((name, child) -> leaves(child, path + "." + name, out));
    } else if ("array".equals(schema.getType()) && schema.getItems() != null
        && schema.getItems().getSchema() != null) {
      leaves(schema.getItems().getSchema(), path + ".0", out);
    } else if (schema.getType() != null && !"object".equals(schema.getType())) {
      out.add(path);
    }
  }

  private static JSONSchemaProps schemaAt(JSONSchemaProps spec, String path) {
    JSONSchemaProps at = spec;
    String[] parts = path.split("\\.");
    for (int i = 1; i < parts.length; i++) {
      at = parts[i].equals("0") ? at.getItems().getSchema() : at.getProperties().get(parts[i]);
    }
    return at;
  }

  private static Object hostile(JSONSchemaProps leaf, Random random) {
    if (random.nextBoolean()) {
      // Edge values the schema itself allows: these reach the operator.
      List<Object> edges = new ArrayList<>();
      switch (String.valueOf(leaf.getType())) {
        case "integer", "number" -> {
          edges.add(leaf.getMinimum() == null ? 0 : leaf.getMinimum());
          if (leaf.getMaximum() != null) {
            edges.add(leaf.getMaximum());
          }
        }
        case "boolean" -> edges.add(random.nextBoolean());
        default -> {
          if (leaf.getEnum() != null && !leaf.getEnum().isEmpty()) {
            leaf.getEnum().forEach(n -> edges.add(n.asText()));
          } else {
            edges.add("x".repeat((int) Math.min(leaf.getMaxLength() == null ? 300 : leaf.getMaxLength(), 5_000)));
            edges.add("1h30m");
            edges.add("é");
          }
        }
      }
      Object edge = edges.get(random.nextInt(edges.size()));
      if (edge instanceof Double d && d == Math.rint(d) && "integer".equals(leaf.getType())) {
        return d.longValue();
      }
      return edge;
    }
    List<Object> pool = switch (String.valueOf(leaf.getType())) {
      case "integer" -> INTEGERS;
      case "number" -> NUMBERS;
      case "boolean" -> List.of(true, false);
      default -> leaf.getEnum() != null && !leaf.getEnum().isEmpty() && random.nextBoolean()
          ? leaf.getEnum().stream().map(n -> (Object) n.asText()).toList() : STRINGS;
    };
    return pool.get(random.nextInt(pool.size()));
  }

  /** Sets a dotted path (".0" = the first element of a list, created when missing). */
  @SuppressWarnings("unchecked")
  private static void set(GenericKubernetesResource r, String path, Object value) {
    String[] parts = path.split("\\.");
    Object node = r.getAdditionalProperties();
    for (int i = 0; i < parts.length - 1; i++) {
      boolean nextIsIndex = parts[i + 1].equals("0");
      Object child;
      if (node instanceof Map<?, ?> map) {
        child = ((Map<String, Object>) map).get(parts[i]);
        if (nextIsIndex && !(child instanceof List)) {
          child = new ArrayList<>(List.of(new LinkedHashMap<String, Object>()));
          ((Map<String, Object>) map).put(parts[i], child);
        } else if (!nextIsIndex && !(child instanceof Map)) {
          child = new LinkedHashMap<String, Object>();
          ((Map<String, Object>) map).put(parts[i], child);
        }
      } else {
        List<Object> list = (List<Object>) node;
        if (list.isEmpty() || !(list.get(0) instanceof Map)) {
          list.clear();
          list.add(new LinkedHashMap<String, Object>());
        }
        child = list.get(0);
      }
      node = child;
    }
    String last = parts[parts.length - 1];
    if (node instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).put(last, value);
    } else {
      List<Object> list = (List<Object>) node;
      if (list.isEmpty()) {
        list.add(value);
      } else {
        list.set(0, value);
      }
    }
  }
}
