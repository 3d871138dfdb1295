package io.sagaz.fleet.client.saga;

import io.sagaz.fleet.client.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/**
 * Starts, queries and cancels sagas over the (clustered) event bus. Failures arrive as
 * {@link io.vertx.core.eventbus.ReplyException}s whose {@code failureCode()} is a
 * {@link io.sagaz.fleet.core.failure.FailureCode} number (400 invalid, 404 unknown, 409 conflict).
 */
public final class SagaClient {
  private final EventBus bus;
  private final DeliveryOptions options;

  public SagaClient(EventBus bus) {
    this(bus, Duration.ofSeconds(30));
  }

  public SagaClient(EventBus bus, Duration timeout) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /** Starts saga {@code saga}; with an idempotency key, a repeated start returns the same saga. */
  public Future<JsonObject> start(String saga, JsonObject input, String idempotencyKey) {
    JsonObject body = new JsonObject().put("version", 1).put("saga", saga).put("input", input);
    if (idempotencyKey != null) {
      body.put("idempotencyKey", idempotencyKey);
    }
    return request(Addresses.SAGA_START, body);
  }

  /** The saga view: status, steps, context, timestamps, audit history and a Mermaid diagram. */
  public Future<JsonObject> get(UUID sagaId) {
    return request(Addresses.SAGA_GET, idBody(sagaId));
  }

  /** Cancels a running saga: it compensates what it completed. */
  public Future<JsonObject> cancel(UUID sagaId) {
    return request(Addresses.SAGA_CANCEL, idBody(sagaId));
  }

  /** Operator retry of a FAILED saga's compensation. */
  public Future<JsonObject> retryCompensation(UUID sagaId) {
    return request(Addresses.SAGA_RETRY_COMPENSATION, idBody(sagaId));
  }

  /** Sagas, newest first, filtered by status and name (both optional). */
  public Future<JsonObject> list(String status, String name, int limit) {
    JsonObject body = new JsonObject().put("version", 1).put("limit", limit);
    if (status != null) {
      body.put("status", status);
    }
    if (name != null) {
      body.put("name", name);
    }
    return request(Addresses.SAGA_LIST, body);
  }

  /** All definitions ({@code name} null) or one, with their Mermaid diagrams. */
  public Future<JsonObject> definitions(String name) {
    JsonObject body = new JsonObject().put("version", 1);
    if (name != null) {
      body.put("name", name);
    }
    return request(Addresses.SAGA_DEFINITIONS, body);
  }

  private static JsonObject idBody(UUID sagaId) {
    return new JsonObject().put("version", 1).put("sagaId", sagaId.toString());
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return bus.<JsonObject>request(address, body, options).map(Message::body);
  }
}
