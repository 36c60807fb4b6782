package dev.pulse.ingest;

import dev.pulse.contract.IngestConfig;

import dev.pulse.testsupport.kafka.EmbeddedKafka;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** One broker for every ingester test in the JVM, fixtures, ingester construction and log capture. */
final class TestSupport {
  private TestSupport() {}

  static EmbeddedKafka kafka() {
    return EmbeddedKafka.shared();
  }

  static String fixture(String path) {
    try (InputStream in = TestSupport.class.getResourceAsStream("/ingest/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Ingester ingester(String yaml, Map<String, String> env) throws IOException {
    return new Ingester(IngestConfig.parse(yaml), env, Http.defaultClient(), Clock.systemUTC(), Ingester::kafkaSink);
  }

  /** Collects every log event of the JVM while open. */
  static final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    LogCapture() {
      appender.start();
      root.addAppender(appender);
    }

    List<String> lines() {
      return appender.list.stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();
    }

    String all() {
      return String.join("\n", lines());
    }

    @Override
    public void close() {
      root.detachAppender(appender);
    }
  }
}
