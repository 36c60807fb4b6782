package dev.pulse.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pulse render} on config/samples, with no cluster; then its output is checked by a real API server. */
class RenderCommandTest {

  @Test
  void rendersEverySampleAndTheApiServerAcceptsWhatItPrints() {
    Run run = run("render", "-f", Samples.dir().toString(), "--namespace", "team-a");
    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.err).contains("skipped ConfigMap/northwind-replay-posts");

    List<GenericKubernetesResource> objects = parse(run.out);
    assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).contains(
        "KafkaTopic/pulse.feed.team-a.northwind-news", "Deployment/northwind-news-ingester",
        "ConfigMap/northwind-replay-ingester", "Service/northwind-x-ingester",
        "Job/northwind-gemma-sentiment-train-1");
    assertThat(objects).extracting(HasMetadata::getKind).contains("SparkApplication");
    assertThat(objects).allSatisfy(o -> {
      assertThat(o.getMetadata().getNamespace()).isEqualTo("team-a");
      assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "pulse-operator");
    });

    // Accepted by the real schemas (Strimzi's KafkaTopic, the Spark operator's SparkApplication, core kinds).
    KubeApiServer server = KubeApiServer.shared();
    KubernetesClient client = server.client();
    CrdInstaller.installAll(client);
    String ns = server.createNamespace("render");
    for (GenericKubernetesResource object : objects) {
      object.getMetadata().setNamespace(ns);
      object.getMetadata().setOwnerReferences(null); // render has no owner uid to point at
      client.resource(object).dryRun().create();
    }
  }

  @Test
  void sameInputSameOutput() {
    assertThat(run("render", "-f", Samples.dir().toString()).out)
        .isEqualTo(run("render", "-f", Samples.dir().toString()).out);
  }

  @Test
  void badInputIsAClearErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "apiVersion: pulse.dev/v1alpha1\nkind: [SourceFeed\n");
    Run parse = run("render", "-f", broken.toString());
    assertThat(parse.exit).isEqualTo(1);
    assertThat(parse.err).startsWith("pulse render: " + broken).contains("not valid YAML");

    Path nameless = Files.writeString(dir.resolve("nameless.yaml"),
        "apiVersion: pulse.dev/v1alpha1\nkind: SourceFeed\nspec: {type: RSS}\n");
    assertThat(run("render", "-f", nameless.toString()).err).contains("has no metadata.name");

    Path typo = Files.writeString(dir.resolve("typo.yaml"),
        "apiVersion: pulse.dev/v1alpha1\nkind: SourceFeeds\nmetadata: {name: a}\nspec: {}\n");
    assertThat(run("render", "-f", typo.toString()).err).contains("unknown Pulse kind SourceFeeds");

    Run missing = run("render", "-f", dir.resolve("nope").toString());
    assertThat(missing.exit).isEqualTo(1);
    assertThat(missing.err).contains("no such file or directory");
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new OperatorCli()).execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  private static List<GenericKubernetesResource> parse(String yaml) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    return java.util.Arrays.stream(yaml.split("(?m)^---\\n")).filter(d -> !d.isBlank())
        .map(d -> serialization.unmarshal(d, GenericKubernetesResource.class)).toList();
  }
}
