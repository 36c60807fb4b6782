package dev.pulse.scoring.eval;

import dev.pulse.event.Label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Readers for the labelled-post layouts Pulse accepts; each rejects bad input with a {@link DataException}. */
public final class Datasets {
  private Datasets() {}

  /** TweetEval layout: {@code SPLIT_text.txt} and {@code SPLIT_labels.txt} (0/1/2), one post per line. */
  public static List<LabelledPost> tweetEval(Path dir, String split) {
    Path textFile = dir.resolve(split + "_text.txt");
    Path labelFile = dir.resolve(split + "_labels.txt");
    List<String> texts = lines(textFile);
    List<String> labels = lines(labelFile);
    if (texts.size() != labels.size()) {
      throw new DataException(String.format("%s has %d lines but %s has %d: they must pair up line by line",
          textFile, texts.size(), labelFile, labels.size()));
    }
    List<LabelledPost> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(new LabelledPost(null, text(texts.get(i), textFile, i + 1), label(labels.get(i), labelFile, i + 1)));
    }
    return out;
  }

  /** JSON Lines: one object per line with a {@code text} string and a {@code label} (0/1/2 or name). */
  public static List<LabelledPost> jsonl(Path file) {
    ObjectMapper json = new ObjectMapper();
    List<LabelledPost> out = new ArrayList<>();
    List<String> lines = lines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) continue;
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new DataException(file + ":" + (i + 1) + ": not valid JSON (" + e.getOriginalMessage() + ")");
      }
      JsonNode text = node.get("text"), label = node.get("label");
      if (text == null || !text.isTextual()) {
        throw new DataException(file + ":" + (i + 1) + ": missing string field \"text\"");
      }
      if (label == null || label.isNull()) {
        throw new DataException(file + ":" + (i + 1) + ": missing field \"label\"");
      }
      JsonNode id = node.get("id");
      out.add(new LabelledPost(id == null ? null : id.asText(), text(text.asText(), file, i + 1),
          label(label.asText(), file, i + 1)));
    }
    return nonEmpty(out, file);
  }

  /** TSV: {@code text<TAB>label} per line; a first line {@code text<TAB>label} is taken as a header. */
  public static List<LabelledPost> tsv(Path file) {
    List<LabelledPost> out = new ArrayList<>();
    List<String> lines = lines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || (i == 0 && line.trim().equalsIgnoreCase("text\tlabel"))) continue;
      int tab = line.lastIndexOf('\t');
      if (tab < 0) throw new DataException(file + ":" + (i + 1) + ": expected text<TAB>label");
      out.add(new LabelledPost(null, text(line.substring(0, tab), file, i + 1),
          label(line.substring(tab + 1), file, i + 1)));
    }
    return nonEmpty(out, file);
  }

  /**
   * The SemEval-2013..2016 Task 4A files ({@code id<TAB>label<TAB>text[<TAB>]}) of a directory, every
   * {@code *.tsv} in name order, deduplicated by tweet id (the first occurrence wins).
   */
  public static List<LabelledPost> semEvalDirectory(Path dir) {
    if (!Files.isDirectory(dir)) throw new DataException(dir + ": no such directory");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".tsv")).sorted().toList();
    } catch (IOException e) {
      throw new DataException(dir + ": cannot list (" + e.getMessage() + ")");
    }
    if (files.isEmpty()) throw new DataException(dir + ": no *.tsv files");
    Map<String, LabelledPost> byId = new LinkedHashMap<>();
    for (Path f : files) {
      List<String> lines = lines(f);
      for (int i = 0; i < lines.size(); i++) {
        String[] fields = lines.get(i).split("\t");
        if (lines.get(i).isBlank()) continue;
        if (fields.length < 3) throw new DataException(f + ":" + (i + 1) + ": expected id<TAB>label<TAB>text");
        if (fields[2].isBlank()) continue; // a tweet whose text could not be downloaded
        byId.putIfAbsent(fields[0], new LabelledPost(fields[0], fields[2], label(fields[1], f, i + 1)));
      }
    }
    return new ArrayList<>(byId.values());
  }

  private static List<LabelledPost> nonEmpty(List<LabelledPost> posts, Path file) {
    if (posts.isEmpty()) throw new DataException(file + ": holds no labelled posts");
    return posts;
  }

  private static List<String> lines(Path file) {
    if (!Files.isRegularFile(file)) throw new DataException(file + ": no such file");
    try {
      String all = Files.readString(file, StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(List.of(all.split("\r?\n", -1)));
      if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
      return lines;
    } catch (IOException e) {
      throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  private static String text(String text, Path file, int line) {
    if (text.isBlank()) throw new DataException(file + ":" + line + ": empty text");
    return text;
  }

  private static Label label(String label, Path file, int line) {
    try {
      return Label.parse(label);
    } catch (IllegalArgumentException e) {
      throw new DataException(file + ":" + line + ": " + e.getMessage());
    }
  }
}
