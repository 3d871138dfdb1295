package io.sagaz.fleet.client.saga;

import io.sagaz.fleet.client.MessageBodies;
import io.sagaz.fleet.client.inbox.Inbox;
import io.sagaz.fleet.core.failure.FailureCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves saga steps on event-bus addresses with exactly-once effect.
 *
 * <pre>{@code
 * SagaParticipant.create(vertx, pool, "inventory")
 *     .action("inventory.reserve", (cmd, tx) -> tx.preparedQuery(...).execute(...).map(r -> new JsonObject()))
 *     .compensation("inventory.release", (cmd, tx) -> ...)
 *     .register();
 * }</pre>
 *
 * Each command runs through the client {@link Inbox}: one transaction that first records
 * {@code (consumerName, commandId)} in {@code consumer_inbox}, then runs the handler on that connection. A command seen before (a retry after a lost reply, or a re-send by a node
 * that took the saga over) is answered with the stored reply and its handler does not run again.
 * Two copies arriving at once serialize on the inbox primary key. A handler failure rolls the
 * transaction back, inbox row included, so a later retry runs the handler afresh.
 */
public final class SagaParticipant {
  private static final Logger log = LoggerFactory.getLogger(SagaParticipant.class);

  private final Vertx vertx;
  private final Inbox inbox;
  private final String consumerName;
  private final List<String> addresses = new ArrayList<>();
  private final List<StepHandler> handlers = new ArrayList<>();
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  private SagaParticipant(Vertx vertx, Pool pool, String consumerName) {
    this.vertx = vertx;
    this.inbox = new Inbox(pool);
    this.consumerName = consumerName;
  }

  /** A participant deduping under {@code consumerName} (one name per participant service). */
  public static SagaParticipant create(Vertx vertx, Pool pool, String consumerName) {
    return new SagaParticipant(vertx, pool, consumerName);
  }

  /** Serves a step's action on {@code address}. */
  public SagaParticipant action(String address, StepHandler handler) {
    return on(address, handler);
  }

  /**
   * Serves a step's compensation on {@code address}. It must be safe when the action never happened
   * (the orchestrator also undoes steps whose outcome it could not learn, e.g. after timeouts).
   */
  public SagaParticipant compensation(String address, StepHandler handler) {
    return on(address, handler);
  }

  private SagaParticipant on(String address, StepHandler handler) {
    addresses.add(address);
    handlers.add(handler);
    return this;
  }

  /** Registers the consumers; completes when they are known to the (clustered) event bus. */
  public Future<Void> register() {
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      StepHandler h = handlers.get(i);
      MessageConsumer<Object> c = vertx.eventBus().consumer(addresses.get(i), m -> serve(m, h));
      consumers.add(c);
      done.add(c.completion());
    }
    return Future.all(done).mapEmpty();
  }

  /** Unregisters every consumer this participant registered. */
  public Future<Void> unregister() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void serve(Message<Object> message, StepHandler handler) {
    StepCommand cmd;
    try {
      cmd = StepCommand.fromJson(MessageBodies.jsonObject(message.body()));
    } catch (IllegalArgumentException e) {
      message.fail(FailureCode.INVALID.code(), e.getMessage());
      return;
    }
    inbox.consume(consumerName, cmd.commandId(), tx -> handler.handle(cmd, tx).map(r -> r == null ? new JsonObject() : r))
        .onSuccess(r -> message.reply(r.result() == null ? new JsonObject() : r.result()))
        .onFailure(err -> fail(message, cmd, err));
  }

  private void fail(Message<Object> message, StepCommand cmd, Throwable err) {
    if (err instanceof StepFailure f) {
      message.fail(f.code(), f.getMessage());
    } else if (err instanceof DatabaseException db) {
      log.warn("participant {} step {} of saga {}: database error {}", consumerName, cmd.step(), cmd.sagaId(), db.getMessage());
      message.fail(FailureCode.DEPENDENCY_DOWN.code(), "database: " + db.getMessage());
    } else {
      log.warn("participant {} step {} of saga {} failed", consumerName, cmd.step(), cmd.sagaId(), err);
      message.fail(FailureCode.INTERNAL.code(), String.valueOf(err.getMessage()));
    }
  }
}
