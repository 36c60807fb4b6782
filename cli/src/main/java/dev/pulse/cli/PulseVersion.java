package dev.pulse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The build's version (the parent pom's), read from a resource Maven filters: what {@code --version} prints and what
 * the operator and the workloads can log, written in one place instead of in each command.
 */
public final class PulseVersion {
  private static final String VERSION = load();

  private PulseVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = PulseVersion.class.getResourceAsStream("pulse-version.properties")) {
      if (in == null) throw new IllegalStateException("pulse-version.properties is missing from the cli jar");
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "");
      if (v.isBlank() || v.startsWith("${")) {
        throw new IllegalStateException("pulse-version.properties was not filtered by the build: '" + v + "'");
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
