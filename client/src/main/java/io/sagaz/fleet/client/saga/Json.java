package io.sagaz.fleet.client.saga;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Field readers for event-bus bodies whose failures name the field, for 400 replies. */
public final class Json {
  private Json() {}

  public static String requiredString(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(field + ": required, a non-empty string" + (v == null ? "" : ", was " + v));
    }
    return s;
  }

  public static String optionalString(JsonObject json, String field, int maxLength) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(field + ": must be a non-empty string, was " + v);
    }
    if (s.length() > maxLength) {
      throw new IllegalArgumentException(field + ": longer than " + maxLength + " characters");
    }
    return s;
  }

  public static UUID uuid(JsonObject json, String field) {
    String s = requiredString(json, field);
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": not a UUID: '" + s + "'");
    }
  }

  /** An optional nested object; absent or null gives an empty object. */
  public static JsonObject object(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject o)) {
      throw new IllegalArgumentException(field + ": must be a JSON object");
    }
    return o;
  }
}
