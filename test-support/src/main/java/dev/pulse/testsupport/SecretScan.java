package dev.pulse.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for planted secret values in what a run wrote (captured stdout/stderr, log files): each value as it is, and
 * in Base64 (how a Secret's data carries it). A finding names the secret, the file and the line
 * number, never the value, so the report itself leaks nothing.
 */
public final class SecretScan {

  private final Map<String, String> secrets = new LinkedHashMap<>();

  /** @param name what the secret is (e.g. "dashboard token"), used in findings instead of the value */
  public SecretScan plant(String name, String value) {
    if (value == null || value.length() < 12) {
      // A short value would match ordinary text by chance: planted secrets are long and random.
      throw new IllegalArgumentException("a planted secret must be at least 12 characters: " + name);
    }
    secrets.put(name, value);
    return this;
  }

  /** A fresh value to plant: random, long, and unlike anything a log would contain by chance. */
  public static String newValue(String prefix) {
    byte[] bytes = new byte[24];
    new java.security.SecureRandom().nextBytes(bytes);
    return prefix + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Every line of the files that holds a planted value ("dashboard token in dashboard.log:17"); empty when none. */
  public List<String> findings(List<Path> files) throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1); // any bytes, never a decode error
      for (int i = 0; i < lines.size(); i++) {
        for (Map.Entry<String, String> s : secrets.entrySet()) {
          if (contains(lines.get(i), s.getValue())) {
            found.add(s.getKey() + " in " + file.getFileName() + ":" + (i + 1));
          }
        }
      }
    }
    return found;
  }

  private static boolean contains(String line, String value) {
    // As it is, or as a Secret's data field or a manifest dump carries it (Base64 of the value alone).
    return line.contains(value)
        || line.contains(Base64.getEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
  }
}
