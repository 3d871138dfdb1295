package io.sagaz.fleet.admin.api;

import io.sagaz.fleet.core.failure.FailureCode;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * One API operation that the admin API answers by forwarding to an event-bus address: which address,
 * the HTTP status of a successful reply, and how the request becomes the event-bus body.
 *
 * <p>The body is the validated JSON request body, plus every query and path parameter that was given,
 * plus {@code version: 1}. A parameter whose name differs from the event-bus field is listed in
 * {@code renames} (e.g. path {@code id} -> {@code sagaId}).
 *
 * @param operationId   the OpenAPI operationId
 * @param address       the event-bus address (a constant of {@code Addresses})
 * @param successStatus the HTTP status of a successful reply
 * @param leaderOnly    only the maintenance leader serves the address: no handler means 423, and the
 *                      work (DDL) may take longer than an ordinary request
 * @param renames       request parameter name -> event-bus field name
 */
public record Forward(String operationId, String address, int successStatus, boolean leaderOnly, Map<String, String> renames) {
  /** The event-bus message version the admin API sends. */
  public static final int MESSAGE_VERSION = 1;

  public Forward {
    renames = Map.copyOf(renames);
  }

  /** Forwards {@code operationId} to {@code address}, answering 200. */
  public static Forward to(String operationId, String address) {
    return new Forward(operationId, address, 200, false, Map.of());
  }

  /** Forwards to an address only the maintenance leader serves. */
  public static Forward toLeader(String operationId, String address) {
    return new Forward(operationId, address, 200, true, Map.of());
  }

  public Forward status(int status) {
    return new Forward(operationId, address, status, leaderOnly, renames);
  }

  public Forward rename(String parameter, String field) {
    Map<String, String> more = new HashMap<>(renames);
    more.put(parameter, field);
    return new Forward(operationId, address, successStatus, leaderOnly, more);
  }

  /** The HTTP status when no node serves the address. */
  public int noHandlersStatus() {
    return leaderOnly ? FailureCode.NOT_LEADER.code() : FailureCode.DEPENDENCY_DOWN.code();
  }

  /** The event-bus body for a validated request. */
  public JsonObject body(ValidatedRequest request) {
    JsonObject out = new JsonObject();
    RequestParameter body = request.getBody();
    if (body != null && !body.isNull() && body.isJsonObject()) {
      out.mergeIn(body.getJsonObject());
    }
    // Parameters after the body: a path parameter names the resource and must win over any body field.
    request.getQuery().forEach((name, value) -> putParameter(out, name, value));
    request.getPathParameters().forEach((name, value) -> putParameter(out, name, value));
    return out.put("version", MESSAGE_VERSION);
  }

  private void putParameter(JsonObject out, String name, RequestParameter value) {
    if (value != null && !value.isNull()) {
      out.put(renames.getOrDefault(name, name), value.get());
    }
  }
}
