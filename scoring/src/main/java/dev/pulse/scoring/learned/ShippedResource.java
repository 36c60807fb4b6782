package dev.pulse.scoring.learned;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * The serial form of weights read from a classpath resource: the resource's name and how to read it, so a scorer
 * shipped from a Spark driver to its executors carries a name instead of megabytes of weights, and each executor JVM
 * reads the resource once.
 */
record ShippedResource(String resource, Reader reader) implements Serializable {
  /** Reads (or returns the JVM's cached copy of) a resource: a static method reference such as {@code NgramHead::fromResource}. */
  interface Reader extends Serializable {
    Object read(String resource);
  }

  /** Parses a resource's bytes. */
  interface Parser<T> {
    T parse(InputStream in) throws IOException;
  }

  /**
   * Parses a classpath resource (an absolute name such as {@code /scoring/light-heads.bin}); a missing one names the
   * command that writes it.
   */
  static <T> T load(String resource, String writtenBy, Parser<T> parser) {
    try (InputStream in = ShippedResource.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource + ": run " + writtenBy);
      return parser.parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object readResolve() {
    return reader.read(resource);
  }
}
