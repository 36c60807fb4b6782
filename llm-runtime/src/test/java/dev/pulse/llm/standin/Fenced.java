package dev.pulse.llm.standin;

import java.util.ArrayList;
import java.util.List;

/** Reads fenced blocks back out of a user message, as a model would see them: by whole lines. */
public final class Fenced {
  private Fenced() {}

  /** Every block between a line {@code <<<NAME} and the next line {@code NAME>>>}. */
  public static List<String> blocks(String message, String name) {
    List<String> out = new ArrayList<>();
    String[] lines = message.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].equals("<<<" + name)) {
        StringBuilder block = new StringBuilder();
        int j = i + 1;
        while (j < lines.length && !lines[j].equals(name + ">>>")) {
          if (j > i + 1) {
            block.append('\n');
          }
          block.append(lines[j]);
          j++;
        }
        if (j < lines.length) {
          out.add(block.toString());
        }
        i = j;
      }
    }
    return out;
  }

  /** The one block of that name; fails when there is none or more than one. */
  public static String only(String message, String name) {
    List<String> all = blocks(message, name);
    if (all.size() != 1) {
      throw new AssertionError("expected one " + name + " block, found " + all.size() + " in:\n" + message);
    }
    return all.get(0);
  }
}
