package dev.pulse.operator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Images of Pulse's runtimes. The defaults are the images this build made ({@link BuildImages}: names and tag from
 * the parent pom, so a 0.2.0 operator starts 0.2.0 ingesters); the chart's values may override each one, and a
 * resource's own {@code image} field wins over both.
 *
 * @param ingester the ingesters of SourceFeeds (the ingest module, {@code pulse ingest})
 * @param sparkJob the SparkApplication's driver and executors (the spark-job module)
 * @param gateway the LLM gateway (llm-runtime)
 * @param trainer the QLoRA trainer (llm-runtime/trainer)
 * @param dashboard the dashboard backend + web app
 * @param vllm the vLLM OpenAI-compatible server (upstream's image, not built by Pulse)
 */
public record PulseImages(String ingester, String sparkJob, String gateway, String trainer, String dashboard,
    String vllm) {

  /** vLLM's own image; Pulse does not build it, so its tag is not the build's version. */
  public static final String VLLM = "vllm/vllm-openai:v0.11.0";

  public static PulseImages defaults() {
    BuildImages build = BuildImages.get();
    return new PulseImages(build.image("ingester"), build.image("sparkJob"), build.image("gateway"),
        build.image("trainer"), build.image("dashboard"), VLLM);
  }

  /** Fills the images not configured (null or blank) from {@code defaults}. */
  public PulseImages withDefaults(PulseImages defaults) {
    return new PulseImages(or(ingester, defaults.ingester), or(sparkJob, defaults.sparkJob),
        or(gateway, defaults.gateway), or(trainer, defaults.trainer), or(dashboard, defaults.dashboard),
        or(vllm, defaults.vllm));
  }

  private static String or(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  /**
   * The images of this build, from {@code pulse-images.properties}, which Maven filters from the parent pom's
   * {@code pulse.image.*} properties. Read once; a missing or unfiltered file is a broken build, said so.
   */
  public static final class BuildImages {
    static final String RESOURCE = "pulse-images.properties";
    private static volatile BuildImages instance;

    private final Properties properties;

    private BuildImages(Properties properties) {
      this.properties = properties;
    }

    public static BuildImages get() {
      BuildImages current = instance;
      if (current == null) {
        current = load();
        instance = current;
      }
      return current;
    }

    /** The build's tag (its version, e.g. 0.1.0-SNAPSHOT). */
    public String tag() {
      return value("tag");
    }

    /** A full image reference by key: operator, ingester, sparkJob, gateway, dashboard, trainer, kafka. */
    public String image(String key) {
      return value(key);
    }

    private String value(String key) {
      String value = properties.getProperty(key);
      if (value == null || value.isBlank()) {
        throw new IllegalStateException(RESOURCE + " has no '" + key + "'");
      }
      return value;
    }

    private static BuildImages load() {
      Properties properties = new Properties();
      try (InputStream in = PulseImages.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is not on the classpath: build the operator with Maven "
              + "(it is a filtered resource of operator/src/main/resources-filtered)");
        }
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (String key : properties.stringPropertyNames()) {
        if (properties.getProperty(key).contains("${")) {
          throw new IllegalStateException(RESOURCE + " was not filtered by Maven: " + key + "="
              + properties.getProperty(key));
        }
      }
      return new BuildImages(properties);
    }
  }
}
