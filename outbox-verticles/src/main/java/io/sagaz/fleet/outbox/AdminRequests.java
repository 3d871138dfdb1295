package io.sagaz.fleet.outbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reads the admin requests' fields; a bad one throws {@link IllegalArgumentException} whose message
 * starts with the field, which the admin verticle turns into a 400 reply.
 */
final class AdminRequests {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1_000;

  private AdminRequests() {}

  static int limit(JsonObject req) {
    Object v = req.getValue("limit");
    if (v == null) {
      return DEFAULT_LIMIT;
    }
    int n;
    try {
      n = v instanceof Number num ? num.intValue() : Integer.parseInt(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit: '" + v + "' is not a number");
    }
    if (n < 1 || n > MAX_LIMIT) {
      throw new IllegalArgumentException("limit: must be between 1 and " + MAX_LIMIT + ", was " + n);
    }
    return n;
  }

  static String optionalString(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(key + ": must be a string");
    }
    return s.isBlank() ? null : s;
  }

  static UUID[] eventIds(Object ids) {
    if (!(ids instanceof JsonArray arr) || arr.isEmpty()) {
      throw new IllegalArgumentException("ids: must be a non-empty array of event ids");
    }
    UUID[] uuids = new UUID[arr.size()];
    for (int i = 0; i < arr.size(); i++) {
      try {
        uuids[i] = UUID.fromString(String.valueOf(arr.getValue(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("ids[" + i + "]: '" + arr.getValue(i) + "' is not an event id (UUID)");
      }
    }
    return uuids;
  }

  static JsonObject filter(Object filter) {
    if (!(filter instanceof JsonObject f)) {
      throw new IllegalArgumentException("filter: must be an object {topic?, eventType?, olderThan?}");
    }
    return f;
  }

  static OffsetDateTime olderThan(JsonObject filter) {
    String raw = optionalString(filter, "olderThan");
    if (raw == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(raw);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("filter.olderThan: '" + raw + "' is not an ISO-8601 timestamp with offset");
    }
  }
}
