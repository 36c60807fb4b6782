package dev.pulse.appconfig;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Sets {@code spring.config.name} from the started app's {@link ConfigName}, as the last (weakest) property source,
 * before Spring Boot reads the config files (it runs first of the environment post-processors).
 */
public final class ConfigNamePostProcessor implements EnvironmentPostProcessor, Ordered {
  static final String SOURCE = "pulseConfigName";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    Set<String> names = new LinkedHashSet<>();
    for (Object source : application.getAllSources()) {
      if (source instanceof Class<?> type) {
        ConfigName name = AnnotatedElementUtils.findMergedAnnotation(type, ConfigName.class);
        if (name != null) {
          names.add(name.value());
        }
      }
    }
    if (names.size() > 1) {
      throw new IllegalStateException("one app, one config name: " + names);
    }
    if (names.size() == 1) {
      environment.getPropertySources().addLast(
          new MapPropertySource(SOURCE, Map.of("spring.config.name", names.iterator().next())));
    }
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE; // before ConfigDataEnvironmentPostProcessor (HIGHEST_PRECEDENCE + 10)
  }
}
