package dev.pulse.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The chart, the operator's defaults and the images the build makes name the same images: the build's version
 * (pom.xml, through the Maven-filtered pulse-images.properties) is the chart's appVersion and the tag of every
 * runtime image in values.yaml, and the chart's environment variables reach every PulseImages field.
 */
class ChartImagesTest {

  private static final Path CHART = Path.of("..", "charts", "pulse-operator");
  private static final YAMLMapper YAML = new YAMLMapper();

  private final PulseImages.BuildImages build = PulseImages.BuildImages.get();

  @Test
  void theBuildResourceIsFilteredFromThePom() {
    assertThat(build.tag()).as("tag = the build's version").isNotBlank().doesNotContain("${");
    assertThat(build.image("operator")).endsWith("/pulse-operator:" + build.tag());
    assertThat(build.image("kafka")).endsWith("/pulse-kafka:" + build.tag());
  }

  @Test
  void appVersionIsTheBuildsVersion() throws IOException {
    JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
    assertThat(chart.path("appVersion").asText())
        .as("Chart.yaml appVersion must be the build's version (pom.xml), the tag of the images it built")
        .isEqualTo(build.tag());
  }

  @Test
  void theOperatorImageIsTheBuildsWithTheAppVersionTag() throws IOException {
    JsonNode image = values().path("image");
    assertThat(image.path("repository").asText() + ":" + build.tag()).isEqualTo(build.image("operator"));
    assertThat(image.path("tag").asText()).as("empty, so the chart's appVersion is the tag").isEmpty();
  }

  @Test
  void runtimeImagesInValuesAreTheOperatorsDefaults() throws IOException {
    JsonNode runtime = values().path("runtimeImages");
    Map<String, String> inValues = new LinkedHashMap<>();
    runtime.fields().forEachRemaining(e -> inValues.put(e.getKey(), e.getValue().asText()));

    Map<String, String> defaults = components(PulseImages.defaults());
    assertThat(inValues).as("values.yaml runtimeImages against PulseImages.defaults() (from the build)")
        .isEqualTo(defaults);
    defaults.forEach((key, image) -> {
      if (!key.equals("vllm")) {
        assertThat(image).as(key).startsWith(build.image("operator").replaceFirst("/pulse-operator:.*", "/"))
            .endsWith(":" + build.tag());
      }
    });
  }

  @Test
  void everyImageTheChartPassesBindsToItsField() throws IOException {
    // - name: PULSE_OPERATOR_IMAGES_X  /  value: {{ .Values.runtimeImages.y | quote }}
    Matcher m = Pattern.compile("- name: (PULSE_OPERATOR_IMAGES_\\w+)\\s+value: \\{\\{ \\.Values\\.runtimeImages\\.(\\w+)")
        .matcher(Files.readString(CHART.resolve("templates").resolve("deployment.yaml")));
    Map<String, Object> env = new LinkedHashMap<>();
    Map<String, String> keyOfVariable = new LinkedHashMap<>();
    while (m.find()) {
      env.put(m.group(1), "image-of-" + m.group(2));
      keyOfVariable.put(m.group(1), m.group(2));
    }
    assertThat(new TreeSet<>(keyOfVariable.values())).as("the chart passes every runtime image")
        .isEqualTo(new TreeSet<>(components(PulseImages.defaults()).keySet()));

    // How Spring Boot binds the pod's environment to pulse.operator.images (OperatorProperties).
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("pod", env));
    PulseImages bound = new Binder(ConfigurationPropertySources.get(environment))
        .bind("pulse.operator.images", PulseImages.class).get();
    components(bound).forEach((field, value) ->
        assertThat(value).as("PulseImages.%s from the chart's environment", field).isEqualTo("image-of-" + field));
  }

  private static JsonNode values() throws IOException {
    return YAML.readTree(CHART.resolve("values.yaml").toFile());
  }

  private static Map<String, String> components(PulseImages images) {
    return Arrays.stream(PulseImages.class.getRecordComponents()).collect(Collectors.toMap(RecordComponent::getName,
        c -> {
          try {
            return (String) c.getAccessor().invoke(images);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        }, (a, b) -> a, LinkedHashMap::new));
  }
}
