package dev.pulse.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One setting that a writer (the operator) and a reader (a workload) share, declared once: its key, type, default,
 * description and validation, after Flink's {@code ConfigOption<T>}. Settings travel as strings (a SparkApplication's
 * sparkConf is a string map); {@link #write} formats and checks a value, {@link #read} parses and checks it, and both
 * name the key in every error.
 *
 * <p>A setting is <em>required</em> (no default; reading it when absent is an error), has a default (returned when
 * absent), or is <em>optional</em> (absent reads as {@code null}). A blank value counts as absent.
 */
public final class ConfigOption<T> {

  /** How a type is written as a string and read back. */
  public record Type<T>(String name, Function<String, T> parse, Function<T, String> format) {}

  public static final Type<String> STRING = new Type<>("string", s -> s, s -> s);
  public static final Type<Integer> INT = new Type<>("integer", s -> (int) number(s), String::valueOf);
  public static final Type<Long> LONG = new Type<>("integer", s -> (long) number(s), String::valueOf);
  public static final Type<Double> DOUBLE = new Type<>("number", ConfigOption::number, String::valueOf);
  public static final Type<Boolean> BOOLEAN = new Type<>("boolean", ConfigOption::bool, String::valueOf);
  public static final Type<java.time.Duration> DURATION =
      new Type<>("duration", Durations::parse, Durations::format);
  /** A comma-separated list; blanks between commas are dropped. */
  public static final Type<List<String>> LIST = new Type<>("comma-separated list",
      s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList(),
      l -> String.join(",", l));

  /** An enum by its constant's name, exactly as written (the names are what users and the CRD write). */
  public static <E extends Enum<E>> Type<E> enumType(Class<E> type) {
    E[] values = type.getEnumConstants();
    return new Type<>("one of " + names(values), s -> {
      for (E e : values) {
        if (e.name().equals(s)) return e;
      }
      throw new Invalid("must be " + names(values) + ": '" + s + "'");
    }, Enum::name);
  }

  /** A value the type or the validation rejects; the key is added by {@link #read}/{@link #write}. */
  static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  private enum Presence { REQUIRED, DEFAULTED, OPTIONAL }

  private final String key;
  private final Type<T> type;
  private final Presence presence;
  private final T defaultValue;
  private final String description;
  private final Predicate<T> check;
  private final String rule;

  private ConfigOption(String key, Type<T> type, Presence presence, T defaultValue, String description,
      Predicate<T> check, String rule) {
    this.key = Objects.requireNonNull(key, "key");
    this.type = Objects.requireNonNull(type, "type");
    this.presence = presence;
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description, "description");
    this.check = check;
    this.rule = rule;
  }

  public static <T> ConfigOption<T> required(String key, Type<T> type, String description) {
    return new ConfigOption<>(key, type, Presence.REQUIRED, null, description, null, null);
  }

  public static <T> ConfigOption<T> withDefault(String key, Type<T> type, T defaultValue, String description) {
    return new ConfigOption<>(key, type, Presence.DEFAULTED, Objects.requireNonNull(defaultValue, "default"),
        description, null, null);
  }

  public static <T> ConfigOption<T> optional(String key, Type<T> type, String description) {
    return new ConfigOption<>(key, type, Presence.OPTIONAL, null, description, null, null);
  }

  /** The same setting, whose values must pass {@code check}; {@code rule} completes "KEY must be …". */
  public ConfigOption<T> validate(Predicate<T> check, String rule) {
    ConfigOption<T> o = new ConfigOption<>(key, type, presence, defaultValue, description, check, rule);
    if (defaultValue != null) o.checked(defaultValue);
    return o;
  }

  public String key() {
    return key;
  }

  public Type<T> type() {
    return type;
  }

  /** The default, or null for a required or optional setting. */
  public T defaultValue() {
    return defaultValue;
  }

  public boolean isRequired() {
    return presence == Presence.REQUIRED;
  }

  public String description() {
    return description;
  }

  /** The value in {@code conf}, parsed and checked; the default (or null) when absent. */
  public T read(Map<String, String> conf) {
    String raw = conf.get(key);
    if (raw == null || raw.isBlank()) {
      if (presence == Presence.REQUIRED) throw new IllegalArgumentException("missing setting " + key);
      return defaultValue;
    }
    T value;
    try {
      value = type.parse().apply(raw.trim());
    } catch (Invalid e) {
      throw new IllegalArgumentException(key + " " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
    return checked(value);
  }

  /** Writes {@code value} into {@code conf} (null: the default, or nothing for an optional setting). */
  public void write(Map<String, String> conf, T value) {
    T v = value != null ? value : defaultValue;
    if (v == null) {
      if (presence == Presence.REQUIRED) throw new IllegalArgumentException("missing setting " + key);
      return;
    }
    conf.put(key, type.format().apply(checked(v)));
  }

  /**
   * Writes a value given as text (a CRD field, a command-line option) as it was written, once the reader's parse and
   * check accept it; null or blank: as {@link #write} with null.
   */
  public void writeText(Map<String, String> conf, String text) {
    if (text == null || text.isBlank()) {
      write(conf, null);
      return;
    }
    read(Map.of(key, text));
    conf.put(key, text.trim());
  }

  private T checked(T value) {
    if (check != null && !check.test(value)) {
      throw new IllegalArgumentException(key + " must be " + rule + ": " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return key + " (" + type.name() + (presence == Presence.REQUIRED ? ", required"
        : defaultValue != null ? ", default " + type.format().apply(defaultValue) : ", optional") + ")";
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new Invalid("is not a number: '" + s + "'");
    }
  }

  private static boolean bool(String s) {
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new Invalid("must be true or false: '" + s + "'");
    };
  }

  private static String names(Enum<?>[] values) {
    List<String> n = Arrays.stream(values).map(Enum::name).collect(Collectors.toList());
    return n.size() == 1 ? n.get(0)
        : String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.get(n.size() - 1);
  }
}
