package io.sagaz.fleet.app.config;

import java.util.Locale;

/**
 * One configuration key the node understands: its dotted path, the type its value is parsed as and
 * its default (null: unset). The environment variable that overrides it is derived from the path, so
 * adding a key here is all it takes to make it settable from YAML and from {@code SAGAZ_*}.
 *
 * @param path         dotted camelCase path, e.g. {@code kafka.bootstrapServers}
 * @param type         how the value is parsed
 * @param defaultValue the value when neither YAML, env nor the command line sets it; null means unset
 */
public record ConfigKey(String path, Type type, String defaultValue) {

  /** How a key's text value is parsed. */
  public enum Type {
    STRING, INT, BOOL, DURATION, LIST, PATH,
    /** A free-form map passed through as it is (e.g. Kafka producer properties); YAML only. */
    MAP
  }

  /** {@code kafka.bootstrapServers} -> {@code SAGAZ_KAFKA_BOOTSTRAP_SERVERS}. */
  public String envName() {
    StringBuilder b = new StringBuilder("SAGAZ_");
    for (char c : path.toCharArray()) {
      if (c == '.') {
        b.append('_');
      } else if (Character.isUpperCase(c)) {
        b.append('_').append(c);
      } else {
        b.append(Character.toUpperCase(c));
      }
    }
    return b.toString().toUpperCase(Locale.ROOT);
  }

  /** The section a key belongs to ({@code db} for {@code db.url}). */
  public String section() {
    int dot = path.indexOf('.');
    return dot < 0 ? path : path.substring(0, dot);
  }
}
