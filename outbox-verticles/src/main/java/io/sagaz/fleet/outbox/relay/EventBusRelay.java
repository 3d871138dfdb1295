package io.sagaz.fleet.outbox.relay;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers to the (clustered) event bus at {@code sagaz.outbox.<topic>} with request/reply: an event
 * counts as delivered only when a consumer replied. With no consumer registered the request fails
 * with NO_HANDLERS, which is a failed attempt like any other (retried with backoff, eventually a dead
 * letter), so events written before their consumer starts are not lost. A consumer that calls
 * {@code message.fail(...)} or does not answer within the timeout also fails the attempt. Consumers
 * should dedupe on {@code eventId} (the Inbox does) since delivery is at-least-once.
 *
 * <p>Body: {@code {version: 1, eventId, eventType, aggregateType, aggregateId, sagaId?, topic,
 * payload, headers}}; the same ids also travel as delivery headers.
 */
public final class EventBusRelay implements Relay {
  private final Vertx vertx;
  private final long timeoutMs;

  public EventBusRelay(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeoutMs = timeout.toMillis();
  }

  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  @Override
  public List<Future<Void>> publish(List<OutboxRecord> records) {
    List<Future<Void>> out = new ArrayList<>(records.size());
    for (OutboxRecord r : records) {
      DeliveryOptions opts = new DeliveryOptions().setSendTimeout(timeoutMs);
      JsonObject body;
      try {
        JsonObject extra = RelayHeaders.extra(r); // parsed once: into the delivery headers and the body
        RelayHeaders.of(r, extra).forEach(opts::addHeader);
        body = body(r, extra);
      } catch (MalformedEventException e) {
        out.add(Future.failedFuture(e));
        continue;
      }
      out.add(vertx.eventBus().request(Addresses.outboxTopic(r.topic()), body, opts)
          .<Void>mapEmpty()
          .recover(EventBusRelay::explain));
    }
    return out;
  }

  /** Keeps the failure type in the stored error: "NO_HANDLERS", "TIMEOUT" or the consumer's code. */
  private static Future<Void> explain(Throwable e) {
    if (e instanceof ReplyException re) {
      String kind = re.failureType() == ReplyFailure.RECIPIENT_FAILURE
          ? "consumer failed with code " + re.failureCode() : re.failureType().name();
      return Future.failedFuture(new IllegalStateException(kind + ": " + re.getMessage(), re));
    }
    return Future.failedFuture(e);
  }

  static JsonObject body(OutboxRecord r, JsonObject headers) {
    return new JsonObject()
        .put("version", 1)
        .put("eventId", r.eventId().toString())
        .put("eventType", r.eventType())
        .put("aggregateType", r.aggregateType())
        .put("aggregateId", r.aggregateId())
        .put("sagaId", r.sagaId() == null ? null : r.sagaId().toString())
        .put("topic", r.topic())
        .put("payload", MalformedEventException.object("payload", r.payloadJson()))
        .put("headers", headers);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
