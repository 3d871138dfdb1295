package io.sagaz.fleet.app.config;

import io.sagaz.fleet.core.config.Durations;
import io.sagaz.fleet.core.config.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The text value of every key after the layers were applied (defaults, YAML, environment, command
 * line), with where each one came from, and typed getters whose errors name the key and its source.
 */
final class RawConfig {
  /** A value and the layer that set it, e.g. {@code env SAGAZ_ADMIN_PORT}. */
  record Setting(String value, String source) {}

  private final Map<String, Setting> values = new HashMap<>();
  private final Map<String, Map<String, String>> maps = new HashMap<>();

  void set(String path, String value, String source) {
    if (value == null) {
      values.remove(path);
    } else {
      values.put(path, new Setting(value, source));
    }
  }

  void setMap(String path, Map<String, String> value) {
    maps.put(path, new LinkedHashMap<>(value));
  }

  /** Where a key's value came from, for error messages; empty for defaults. */
  Optional<String> source(String path) {
    return Optional.ofNullable(values.get(path)).map(Setting::source).filter(s -> !s.isEmpty());
  }

  Optional<String> string(String path) {
    return Optional.ofNullable(values.get(path)).map(Setting::value).map(String::trim).filter(s -> !s.isEmpty());
  }

  String required(String path) {
    return string(path).orElseThrow(() -> new ConfigException(path, "must be set"));
  }

  int integer(String path) {
    String v = required(path);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(path, "expected a whole number, was '" + v + "'");
    }
  }

  boolean bool(String path) {
    String v = required(path).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new ConfigException(path, "expected true or false, was '" + v + "'");
    };
  }

  Duration duration(String path) {
    return Durations.parse(path, required(path));
  }

  List<String> list(String path) {
    return string(path)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  Optional<Path> path(String path) {
    return string(path).map(v -> {
      try {
        return Path.of(v);
      } catch (InvalidPathException e) {
        throw new ConfigException(path, "not a valid path: " + e.getMessage());
      }
    });
  }

  Map<String, String> map(String path) {
    return maps.getOrDefault(path, Map.of());
  }
}
