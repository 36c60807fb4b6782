package dev.pulse.appconfig;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a Spring Boot application class: the name of its config files ({@code spring.config.name}), e.g.
 * {@code @ConfigName("dashboard")} reads {@code dashboard.properties} instead of {@code application.properties}.
 * It applies however the app starts (its main, {@code SpringApplication.run}, {@code @SpringBootTest}); a
 * {@code spring.config.name} given on the command line or as a system property still wins.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface ConfigName {
  String value();
}
