package dev.pulse.appconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;

class ConfigNamePostProcessorTest {
  @ConfigName("first")
  static class First {}

  @ConfigName("second")
  static class Second {}

  static class Plain {}

  private static StandardEnvironment run(Class<?>... sources) {
    StandardEnvironment env = new StandardEnvironment();
    new ConfigNamePostProcessor().postProcessEnvironment(env, new SpringApplication(sources));
    return env;
  }

  @Test
  void theAppsNameBecomesSpringConfigName() {
    assertThat(run(First.class, Plain.class).getProperty("spring.config.name")).isEqualTo("first");
  }

  @Test
  void anAppWithoutOneKeepsSpringsDefault() {
    assertThat(run(Plain.class).getProperty("spring.config.name")).isNull();
  }

  @Test
  void aNameGivenOutsideWins() {
    System.setProperty("spring.config.name", "outside");
    try {
      assertThat(run(First.class).getProperty("spring.config.name")).isEqualTo("outside");
    } finally {
      System.clearProperty("spring.config.name");
    }
  }

  @Test
  void twoAppsInOneContextAreRefused() {
    assertThatThrownBy(() -> run(First.class, Second.class)).hasMessageContaining("first").hasMessageContaining("second");
  }
}
