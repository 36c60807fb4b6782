package dev.pulse.contracttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No import cycles between Pulse's packages (issue 15): every module's main sources, each package's imports of
 * another Pulse package (and fully qualified references to one) as edges, and no strongly connected set of two or
 * more packages. A cycle is named with its packages, so the move that breaks it is clear.
 */
class PackageCyclesTest {
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.pulse(?:\\.[a-z]\\w*)+)\\.[A-Z]");

  @Test
  void noPackageDependsOnItselfThroughOthers() throws IOException {
    Path repo = Samples.dir().getParent().getParent();
    Map<String, Set<String>> edges = new TreeMap<>();
    List<Path> roots;
    try (Stream<Path> modules = Files.walk(repo, 5)) {
      roots = modules.filter(p -> !p.toString().contains("node_modules") && p.endsWith(Path.of("src", "main", "java")) && Files.isDirectory(p)).toList();
    }
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String src = stripComments(Files.readString(f));
          Matcher pkg = PACKAGE.matcher(src);
          if (!pkg.find()) continue;
          String from = pkg.group(1);
          Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
          Matcher ref = REFERENCE.matcher(src);
          while (ref.find()) {
            if (!ref.group(1).equals(from)) to.add(ref.group(1));
          }
        }
      }
    }
    assertThat(edges.size()).as("packages found under %s", repo).isGreaterThan(40);
    assertThat(cycles(edges)).as("package cycles").isEmpty();
  }

  private static String stripComments(String src) {
    return src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "")
        // String literals (one line; unrolled so that a long one does not overflow the regex engine's stack).
        .replaceAll("\"[^\"\\\\\\n]*+(?:\\\\.[^\"\\\\\\n]*+)*+\"", "\"\"");
  }

  /** Tarjan's strongly connected components of two or more packages. */
  private static List<Set<String>> cycles(Map<String, Set<String>> edges) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : edges.keySet()) {
      if (!index.containsKey(v)) visit(v, edges, index, low, stack, onStack, out, counter);
    }
    return out;
  }

  private static void visit(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : edges.getOrDefault(v, Set.of())) {
      if (!edges.containsKey(w)) continue;
      if (!index.containsKey(w)) {
        visit(w, edges, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) out.add(component);
    }
  }
}
