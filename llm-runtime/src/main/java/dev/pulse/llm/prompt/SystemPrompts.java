package dev.pulse.llm.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The system prompts, kept as text files under {@code src/main/resources/prompts/} so that the QLoRA
 * trainer builds its training examples from exactly the same instructions.
 */
public final class SystemPrompts {
  public static final String CLASSIFY = load("classify-system.txt");
  public static final String EXPLAIN = load("explain-system.txt");
  public static final String DRAFT = load("draft-system.txt");

  private SystemPrompts() {}

  private static String load(String name) {
    try (InputStream in = SystemPrompts.class.getResourceAsStream("/prompts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("prompt " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
