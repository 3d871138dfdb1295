package io.sagaz.fleet.outbox.relay;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * An outbox row whose payload or headers is not a JSON object, or too large to load, so no relay can
 * build its message. The outbox writer never stores one; a row written by hand can (the columns are
 * plain jsonb). A relay (or, for one not loaded, the poller) fails that one event with this, as a
 * failed attempt (it ends in dead letters with this text), and publishes the rest of its batch.
 */
public final class MalformedEventException extends IllegalArgumentException {
  private MalformedEventException(String message) {
    super(message);
  }

  /**
   * Parses {@code json}, the text of the column {@code field}.
   *
   * @throws MalformedEventException naming the field and what it holds instead
   */
  public static JsonObject object(String field, String json) {
    if (json != null && json.stripLeading().startsWith("{")) {
      try {
        return new JsonObject(json);
      } catch (DecodeException e) {
        throw new MalformedEventException(field + ": not valid JSON: " + e.getMessage());
      }
    }
    throw new MalformedEventException(field + ": must be a JSON object, was " + kind(json)
        + " (a row written to saga_outbox by hand?)");
  }

  /**
   * An event the claim did not load: its {@code field} would be longer than {@code limit} bytes as
   * text ({@code OutboxConfig.maxLoadBytes()}).
   */
  public static MalformedEventException tooLarge(String field, int limit) {
    return new MalformedEventException(field + ": longer than " + limit + " bytes as text (the load limit: 8 times"
        + " outbox.maxPayloadBytes, at least 16 MiB), so it was not loaded and cannot be sent (a row written to"
        + " saga_outbox by hand?)");
  }

  private static String kind(String json) {
    String s = json == null ? "" : json.strip();
    if (s.isEmpty() || s.equals("null")) {
      return "null";
    }
    return switch (s.charAt(0)) {
      case '[' -> "an array";
      case '"' -> "a string";
      case 't', 'f' -> "a boolean";
      default -> "a number";
    };
  }
}
