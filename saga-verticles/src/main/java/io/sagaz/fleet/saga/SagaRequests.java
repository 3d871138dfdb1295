package io.sagaz.fleet.saga;

import io.sagaz.fleet.client.saga.Json;
import io.sagaz.fleet.core.saga.SagaStatus;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.UUID;

/**
 * Decodes the bodies of the saga addresses. Every refusal is an {@link IllegalArgumentException}
 * whose message starts with the field at fault; it becomes a 400 reply and nothing is changed.
 */
final class SagaRequests {
  /** Largest accepted start input, encoded. */
  static final int MAX_INPUT_BYTES = 256 * 1024;
  static final int MAX_KEY_LENGTH = 200;
  static final int MAX_LIST = 1000;

  private SagaRequests() {}

  record Start(String saga, JsonObject input, String idempotencyKey) {}

  record ListQuery(String status, String name, int limit) {}

  static Start start(Object body) {
    JsonObject json = object(body);
    String saga = Json.requiredString(json, "saga");
    Object rawInput = json.getValue("input");
    if (rawInput != null && !(rawInput instanceof JsonObject)) {
      throw new IllegalArgumentException("input: must be a JSON object");
    }
    JsonObject input = rawInput == null ? new JsonObject() : (JsonObject) rawInput;
    if (input.toBuffer().length() > MAX_INPUT_BYTES) {
      throw new IllegalArgumentException("input: larger than the limit of " + MAX_INPUT_BYTES + " bytes");
    }
    String key = Json.optionalString(json, "idempotencyKey", MAX_KEY_LENGTH);
    return new Start(saga, input, key);
  }

  static UUID sagaId(Object body) {
    return Json.uuid(object(body), "sagaId");
  }

  static String reason(Object body) {
    return Json.optionalString(object(body), "reason", 1000);
  }

  static ListQuery list(Object body) {
    JsonObject json = body == null ? new JsonObject() : object(body);
    String status = Json.optionalString(json, "status", 40);
    if (status != null && Arrays.stream(SagaStatus.values()).noneMatch(s -> s.name().equals(status))) {
      throw new IllegalArgumentException("status: must be one of " + Arrays.toString(SagaStatus.values()) + ", was '" + status + "'");
    }
    String name = Json.optionalString(json, "name", 100);
    Object rawLimit = json.getValue("limit");
    if (rawLimit instanceof String digits && digits.matches("\\d{1,9}")) {
      rawLimit = Long.parseLong(digits); // a query parameter that arrived untyped
    }
    int limit = 50;
    if (rawLimit != null) {
      if (!(rawLimit instanceof Integer || rawLimit instanceof Long) || ((Number) rawLimit).longValue() < 1
          || ((Number) rawLimit).longValue() > MAX_LIST) {
        throw new IllegalArgumentException("limit: must be a whole number from 1 to " + MAX_LIST + ", was " + rawLimit);
      }
      limit = ((Number) rawLimit).intValue();
    }
    return new ListQuery(status, name, limit);
  }

  static String definitionName(Object body) {
    return body == null ? null : Json.optionalString(object(body), "name", 100);
  }

  private static JsonObject object(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new IllegalArgumentException("body: must be a JSON object");
    }
    return json;
  }
}
