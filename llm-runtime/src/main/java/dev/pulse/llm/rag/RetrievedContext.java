package dev.pulse.llm.rag;

import java.util.List;

/** What retrieval found for one post: similar labelled posts and glossary entries, best first. */
public record RetrievedContext(List<LabelledExample> examples, List<String> glossary) {
  public static final RetrievedContext EMPTY = new RetrievedContext(List.of(), List.of());

  public RetrievedContext {
    examples = List.copyOf(examples);
    glossary = List.copyOf(glossary);
  }
}
