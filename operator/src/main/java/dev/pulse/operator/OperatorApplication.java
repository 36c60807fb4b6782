package dev.pulse.operator;

import dev.pulse.appconfig.ConfigName;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Pulse operator: reconciles SourceFeeds, ModelAdapters and SentimentPipelines. */
// Its settings are operator.yaml, not the application.* that every Spring Boot app reads: a JVM holding two
// apps (./pulse local, the observability tests) keeps them apart.
@ConfigName("operator")
@SpringBootApplication
public class OperatorApplication {

  public static void main(String[] args) {
    SpringApplication.run(OperatorApplication.class, args);
  }
}
