package dev.pulse.operator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Pulse operator: reconciles SourceFeeds, ModelAdapters and SentimentPipelines. */
@SpringBootApplication
public class OperatorApplication {

  public static void main(String[] args) {
    SpringApplication.run(OperatorApplication.class, args);
  }
}
