package dev.pulse.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The one JSON codec for every Pulse record. Parsing is strict (unknown fields, missing required fields, wrong
 * types, coerced scalars, trailing garbage and unknown schema versions are all rejected) and never throws: it
 * returns {@link Parsed.Invalid} with a reason a person can act on, which the Spark job puts into the dead letter.
 */
public final class EventJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      // Emoji are written as UTF-8, not as escaped surrogate pairs: the scorer reads them and people read topics.
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private EventJson() {}

  /** The configured mapper, for callers that embed records in larger documents. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] toBytes(Object record) {
    try {
      return MAPPER.writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + record.getClass().getSimpleName(), e);
    }
  }

  public static String toJson(Object record) {
    return new String(toBytes(record), StandardCharsets.UTF_8);
  }

  public static Parsed<Post> parsePost(byte[] bytes) {
    return parse(bytes, Post.class);
  }

  public static Parsed<ScoredPost> parseScoredPost(byte[] bytes) {
    return parse(bytes, ScoredPost.class);
  }

  public static Parsed<Aggregate> parseAggregate(byte[] bytes) {
    return parse(bytes, Aggregate.class);
  }

  public static Parsed<Alert> parseAlert(byte[] bytes) {
    return parse(bytes, Alert.class);
  }

  public static Parsed<DeadLetter> parseDeadLetter(byte[] bytes) {
    return parse(bytes, DeadLetter.class);
  }

  /** Parses one record of the given type; the reason of an invalid one names the field where it can. */
  public static <T> Parsed<T> parse(byte[] bytes, Class<T> type) {
    if (bytes == null || bytes.length == 0) {
      return new Parsed.Invalid<>("empty record");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(bytes);
    } catch (IOException e) {
      return new Parsed.Invalid<>(reason(e));
    }
    return parse(tree, type);
  }

  /** {@link #parse(byte[], Class)} of a tree already read, for a reader that completes a record before parsing it. */
  public static <T> Parsed<T> parse(JsonNode tree, Class<T> type) {
    if (tree == null || !tree.isObject()) {
      return new Parsed.Invalid<>("not a JSON object");
    }
    try {
      JsonNode version = tree.get("schemaVersion");
      if (version != null && version.isInt() && version.intValue() != SchemaVersion.CURRENT) {
        return new Parsed.Invalid<>("unsupported schemaVersion " + version.intValue()
            + " (this reader knows " + SchemaVersion.CURRENT + ")");
      }
      return new Parsed.Valid<>(MAPPER.treeToValue(tree, type));
    } catch (IOException e) {
      return new Parsed.Invalid<>(reason(e));
    } catch (RuntimeException e) {
      return new Parsed.Invalid<>("invalid record: " + e.getMessage());
    }
  }

  /** Like {@link #parse} but throws, for input that was written by Pulse itself (e.g. replay files in tests). */
  public static <T> T read(byte[] bytes, Class<T> type) {
    Parsed<T> parsed = parse(bytes, type);
    if (parsed instanceof Parsed.Valid<T> valid) {
      return valid.value();
    }
    throw new UncheckedIOException(new IOException(((Parsed.Invalid<T>) parsed).reason()));
  }

  static String reason(IOException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '" + path(u) + "'";
    }
    if (e instanceof ValueInstantiationException v) {
      Throwable cause = v.getCause() != null ? v.getCause() : v;
      String where = parentPath(v);
      return (where.isEmpty() ? "" : where + ": ") + cause.getMessage();
    }
    if (e instanceof InvalidFormatException f) {
      return "field '" + path(f) + "': cannot read " + quoted(f.getValue()) + " as "
          + f.getTargetType().getSimpleName();
    }
    if (e instanceof MismatchedInputException m) {
      String message = m.getOriginalMessage();
      if (message.startsWith("Missing required creator property")) {
        return "missing required field '" + joinPath(m, m.getPath().size() - 1, propertyName(message)) + "'";
      }
      return "field '" + path(m) + "': " + firstLine(message);
    }
    if (e instanceof JsonProcessingException p) {
      JsonLocation at = p.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return "malformed JSON" + where + ": " + firstLine(p.getOriginalMessage());
    }
    return "unreadable record: " + e.getMessage();
  }

  private static String propertyName(String message) {
    int open = message.indexOf('\'');
    int close = message.indexOf('\'', open + 1);
    return open >= 0 && close > open ? message.substring(open + 1, close) : "?";
  }

  private static String path(JsonMappingException e) {
    return joinPath(e, e.getPath().size(), null);
  }

  private static String parentPath(JsonMappingException e) {
    return joinPath(e, Math.max(0, e.getPath().size() - 1), null);
  }

  private static String joinPath(JsonMappingException e, int upTo, String last) {
    String head = e.getPath().stream().limit(Math.max(0, upTo))
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
    if (last == null) {
      return head;
    }
    return head.isEmpty() ? last : head + "." + last;
  }

  private static String quoted(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
