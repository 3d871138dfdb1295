package io.sagaz.fleet.core.saga;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a saga does when one of several parallel branches fails. */
public enum FailureStrategy {
  /** Start compensating at once; branches still in flight are compensated when they answer. */
  FAIL_FAST("fail-fast"),
  /** Start nothing new, let the branches in flight finish (with their retries), then compensate. */
  WAIT_ALL("wait-all");

  private final String id;

  FailureStrategy(String id) {
    this.id = id;
  }

  /** The name used in YAML definitions and JSON views. */
  public String id() {
    return id;
  }

  /** The strategy named {@code id} ({@code fail-fast} or {@code wait-all}, case-insensitive). */
  public static Optional<FailureStrategy> of(String id) {
    String s = id == null ? "" : id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return Arrays.stream(values()).filter(f -> f.id.equals(s)).findFirst();
  }
}
