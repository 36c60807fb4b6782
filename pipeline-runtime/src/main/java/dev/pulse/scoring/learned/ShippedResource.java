package dev.pulse.scoring.learned;

import java.io.Serializable;

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

  private Object readResolve() {
    return reader.read(resource);
  }
}
