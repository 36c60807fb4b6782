package dev.pulse.llm.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The adapter answers best the prompt it was trained on: this test holds the gateway to the trainer's
 * single definition of the format, trainer/pulse_trainer/prompt_format.py.
 */
class PromptFormatContractTest {
  static final Path FORMAT = Path.of("trainer/pulse_trainer/prompt_format.py");

  private static String python() throws Exception {
    assumeTrue(Files.exists(FORMAT), "the trainer's prompt_format.py is not in this checkout");
    return Files.readString(FORMAT);
  }

  /** The value of a Python string constant written as adjacent literals, possibly in parentheses. */
  static String constant(String source, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\s*=\\s*(\\((?s:.*?)\\n\\)|[^\\n]*)").matcher(source);
    assertThat(m.find()).as(name + " in prompt_format.py").isTrue();
    StringBuilder out = new StringBuilder();
    Matcher lit = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'").matcher(m.group(1));
    while (lit.find()) {
      String s = lit.group(1) != null ? lit.group(1) : lit.group(2);
      out.append(s.replace("\\\"", "\"").replace("\\'", "'").replace("\\n", "\n"));
    }
    return out.toString();
  }

  @Test
  void systemPromptIsTheTrainers() throws Exception {
    assertThat(SystemPrompts.CLASSIFY).isEqualTo(constant(python(), "SYSTEM_PROMPT"));
  }

  @Test
  void instructionFencesAndCutAreTheTrainers() throws Exception {
    String py = python();
    assertThat(PromptBuilder.USER_INSTRUCTION).isEqualTo(constant(py, "USER_INSTRUCTION"));
    assertThat(constant(py, "POST_OPEN")).isEqualTo("<<<POST");
    assertThat(constant(py, "POST_CLOSE")).isEqualTo("POST>>>");
    Matcher max = Pattern.compile("(?m)^MAX_POST_CHARS\\s*=\\s*(\\d+)").matcher(py);
    assertThat(max.find()).isTrue();
    assertThat(PromptBuilder.MAX_POST_CHARS).isEqualTo(Integer.parseInt(max.group(1)));
  }
}
