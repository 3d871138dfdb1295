package io.sagaz.fleet.saga.demo;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.inbox.Inbox;
import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.saga.sql.SagaOutboxSql;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's consumer of saga lifecycle events as the event-bus relay delivers them
 * ({@code sagaz.outbox.saga.lifecycle}), consuming each once through the {@link Inbox} and replying
 * after it committed, as any consumer should.
 *
 * <p>Without a consumer the relay cannot deliver (it counts an event as delivered only on a reply), so
 * a demo node would retry every lifecycle event and end with them all in dead letters.
 */
public final class DemoLifecycleListener extends VerticleBase {
  static final String CONSUMER = "demo-lifecycle-log";
  private static final Logger log = LoggerFactory.getLogger(DemoLifecycleListener.class);

  private final Inbox inbox;
  private MessageConsumer<JsonObject> consumer;

  public DemoLifecycleListener(Pool pool) {
    this.inbox = new Inbox(pool);
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.outboxTopic(SagaOutboxSql.LIFECYCLE_TOPIC), this::onEvent);
    return consumer.completion();
  }

  private void onEvent(Message<JsonObject> message) {
    JsonObject event = message.body();
    UUID eventId;
    try {
      eventId = UUID.fromString(event.getString("eventId", ""));
    } catch (IllegalArgumentException e) {
      message.fail(FailureCode.INVALID.code(), "eventId: expected a UUID, was '" + event.getString("eventId") + "'");
      return;
    }
    inbox.consume(CONSUMER, eventId, conn -> {
      log.debug("saga {} {}: {}", event.getString("sagaId"), event.getString("eventType"), event.getJsonObject("payload"));
      return Future.succeededFuture(new JsonObject().put("logged", true));
    }).onSuccess(r -> message.reply(new JsonObject().put("version", 1).put("duplicate", r.duplicate())))
        .onFailure(e -> message.fail(FailureCode.DEPENDENCY_DOWN.code(), "inbox: " + e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
