package io.sagaz.fleet.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a node does; each role deploys its verticles (design.md section 6). Default: all of them. */
public enum Role {
  SAGA,
  OUTBOX,
  MAINTENANCE,
  ADMIN;

  /** The lowercase name used in configuration and in {@code GET /api/v1/cluster}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a configured role name; unknown names fail with the list of valid ones. */
  public static Role parse(String key, String value) {
    String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(r -> r.name().equals(v))
        .findFirst()
        .orElseThrow(() -> new ConfigException(key, "unknown role '" + value + "', expected one of "
            + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "))));
  }
}
