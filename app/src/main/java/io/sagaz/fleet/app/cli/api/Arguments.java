package io.sagaz.fleet.app.cli.api;

import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Checks of CLI arguments before any request is sent. Each throws an {@link IllegalArgumentException}
 * that names the option and says what it expected; {@link ApiCommand} turns it into a usage error.
 */
public final class Arguments {
  private Arguments() {}

  /** The canonical form of a UUID given to {@code option}, which must be one. */
  public static String uuid(String option, String value, String what) {
    try {
      String trimmed = value.strip();
      UUID parsed = UUID.fromString(trimmed);
      // UUID.fromString accepts short forms such as 1-2-3-4-5; the API wants the canonical one.
      if (parsed.toString().equalsIgnoreCase(trimmed)) {
        return parsed.toString();
      }
    } catch (IllegalArgumentException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(option + " '" + value + "' is not " + what + " (a UUID like 3f2c1a9e-5b7d-4c1e-9a0b-2d4e6f8a1c3e)");
  }

  /** Null stays null (the option was not given); blank is refused. */
  public static void nonBlank(String option, String value) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(option + " must not be blank");
    }
  }

  public static void between(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + " " + value + " is out of range: give " + min + " to " + max);
    }
  }

  /** The enum constant named (case-insensitively), or null when not given. */
  public static <E extends Enum<E>> E oneOf(String option, String value, Class<E> type) {
    if (value == null) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.strip())) {
        return e;
      }
    }
    throw new IllegalArgumentException(option + " '" + value + "' is not one of "
        + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
  }
}
