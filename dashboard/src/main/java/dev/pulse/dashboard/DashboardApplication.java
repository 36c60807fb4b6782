package dev.pulse.dashboard;

import dev.pulse.appconfig.ConfigName;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The dashboard backend as the cluster runs it: consumes the pipeline's output topics, serves REST, WebSocket and the web app. */
// No user store: the only credential is the bearer token (security/SecurityConfiguration), so Boot's generated
// default user (and its password in the log) is left out.
// Its settings are dashboard.properties, not the application.* that every Spring Boot app reads: a JVM holding two
// apps (./pulse local, the observability tests) keeps them apart.
@ConfigName("dashboard")
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class DashboardApplication {
  public static void main(String[] args) {
    SpringApplication.run(DashboardApplication.class, args);
  }
}
