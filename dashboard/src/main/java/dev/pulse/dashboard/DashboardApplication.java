package dev.pulse.dashboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The dashboard backend as the cluster runs it: consumes the pipeline's output topics, serves REST, WebSocket and the web app. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DashboardApplication {
  public static void main(String[] args) {
    SpringApplication.run(DashboardApplication.class, args);
  }
}
