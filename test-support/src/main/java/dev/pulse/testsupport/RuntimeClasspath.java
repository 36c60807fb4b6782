package dev.pulse.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a runtime module (one that ships as an image) must not carry at run time: the in-JVM Kafka broker and its
 * test kit, test frameworks, Pulse's test stand-ins, the scorer's training code and the dev tools. Each runtime
 * module's {@code RuntimeClasspathTest} reads its {@code target/classpath.txt} (the runtime classpath the build writes
 * for the launcher, before the tests run) through {@link #denied}, so a dependency that drags one of these in fails
 * that module's build, images or not (hack/images/check-image-classpath.sh checks the built images themselves).
 */
public final class RuntimeClasspath {
  private RuntimeClasspath() {}

  /** Jar names (file names) no runtime classpath may hold. */
  public static final List<Pattern> DENIED = List.of(
      Pattern.compile("^kafka-test-common-.*"), Pattern.compile("^kafka_2\\.13-.*"),
      Pattern.compile("^kafka-server-[0-9].*"), Pattern.compile("^kafka-raft-.*"),
      Pattern.compile("^junit-.*"), Pattern.compile("^assertj-.*"), Pattern.compile("^mockito-.*"),
      Pattern.compile("^pulse-test-support-.*"), Pattern.compile("^pulse-scoring-training-.*"),
      Pattern.compile("^pulse-spark-local-.*"), Pattern.compile("^pulse-local-.*"));

  /** The entries of a classpath file that {@link #DENIED} names; fails when the file is missing or empty. */
  public static List<String> denied(Path classpathFile) throws IOException {
    String text = Files.readString(classpathFile).trim();
    if (text.isEmpty()) throw new IllegalStateException(classpathFile + " is empty");
    return Arrays.stream(text.split(File.pathSeparator))
        .map(e -> Path.of(e).getFileName().toString())
        .filter(name -> DENIED.stream().anyMatch(p -> p.matcher(name).matches()))
        .toList();
  }
}
