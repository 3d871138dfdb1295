package io.sagaz.fleet.saga.demo;

import io.sagaz.fleet.client.saga.SagaParticipant;
import io.sagaz.fleet.client.saga.StepCommand;
import io.sagaz.fleet.client.saga.StepFailure;
import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.saga.StepPhase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo order saga's participants: inventory, payment and shipping. Each effect is a row in
 * {@code saga_demo_effects}, written in the inbox transaction, so it happens exactly once per command.
 *
 * <p>They fail on purpose so the demo shows sagas compensating: with probability {@code failureRate}
 * the payment is declined (409, a business failure that rolls the order back) and the warehouse is
 * busy (503, retried). A start input can force outcomes instead: {@code failStep} (a 409 on that
 * step's action) and {@code failCompensation} (a 500 on that step's compensation, leaving the saga
 * FAILED); an input that names either gets no random failures. {@code delayMs} makes every step
 * answer that much later (at most 10 s; the wait holds no database connection), to keep many sagas in flight.
 */
public final class DemoParticipants extends VerticleBase {
  private static final List<String> ADDRESSES = List.of("demo.inventory.reserve", "demo.inventory.release",
      "demo.payment.charge", "demo.payment.refund", "demo.shipping.ship", "demo.shipping.cancel");

  /** Failure rate of the embedded demo. */
  public static final double DEMO_FAILURE_RATE = 0.15;

  private final Pool pool;
  private final double failureRate;
  private final List<SagaParticipant> participants = new java.util.ArrayList<>();

  public DemoParticipants(Pool pool, double failureRate) {
    this.pool = pool;
    this.failureRate = failureRate;
  }

  @Override
  public Future<?> start() {
    participants.add(SagaParticipant.create(vertx, pool, "demo-inventory")
        .action(inner("demo.inventory.reserve"), (c, tx) -> effect("demo-inventory", c, tx, "warehouse busy", FailureCode.DEPENDENCY_DOWN))
        .compensation(inner("demo.inventory.release"), (c, tx) -> effect("demo-inventory", c, tx, null, null)));
    participants.add(SagaParticipant.create(vertx, pool, "demo-payment")
        .action(inner("demo.payment.charge"), (c, tx) -> effect("demo-payment", c, tx, "card declined", FailureCode.CONFLICT))
        .compensation(inner("demo.payment.refund"), (c, tx) -> effect("demo-payment", c, tx, null, null)));
    participants.add(SagaParticipant.create(vertx, pool, "demo-shipping")
        .action(inner("demo.shipping.ship"), (c, tx) -> effect("demo-shipping", c, tx, null, null))
        .compensation(inner("demo.shipping.cancel"), (c, tx) -> effect("demo-shipping", c, tx, null, null)));
    List<Future<?>> ready = new ArrayList<>(participants.stream().map(SagaParticipant::register).toList());
    for (String address : ADDRESSES) {
      ready.add(vertx.eventBus().<JsonObject>consumer(address, this::slowFront).completion());
    }
    return Future.all(ready);
  }

  @Override
  public Future<?> stop() {
    return Future.all(participants.stream().map(SagaParticipant::unregister).toList());
  }

  private static String inner(String address) {
    return address + ".served";
  }

  /**
   * The public address: waits {@code delayMs} (a slow service, holding no database connection),
   * then hands the command to the participant and relays its answer.
   */
  private void slowFront(Message<JsonObject> m) {
    long delay = Math.min(10_000, Math.max(0, m.body().getJsonObject("input", new JsonObject()).getLong("delayMs", 0L)));
    Future<Void> wait = delay > 0 ? vertx.timer(delay).mapEmpty() : Future.succeededFuture();
    wait.compose(v -> vertx.eventBus().<JsonObject>request(inner(m.address()), m.body(), new DeliveryOptions().setSendTimeout(30_000)))
        .onSuccess(r -> m.reply(r.body()))
        .onFailure(e -> m.fail(e instanceof ReplyException re && re.failureCode() > 0 ? re.failureCode() : FailureCode.INTERNAL.code(),
            e.getMessage()));
  }

  private Future<JsonObject> effect(String participant, StepCommand c, SqlConnection tx, String randomFailure, FailureCode code) {
    boolean action = c.phase() == StepPhase.ACTION;
    if (action && c.step().equals(c.input().getString("failStep"))) {
      return Future.failedFuture(new StepFailure(FailureCode.CONFLICT, "demo: " + c.step() + " refused by request"));
    }
    if (!action && c.step().equals(c.input().getString("failCompensation"))) {
      return Future.failedFuture(new StepFailure(FailureCode.INTERNAL, "demo: cannot undo " + c.step()));
    }
    boolean scripted = c.input().containsKey("failStep") || c.input().containsKey("failCompensation");
    if (action && !scripted && randomFailure != null && ThreadLocalRandom.current().nextDouble() < failureRate) {
      return Future.failedFuture(new StepFailure(code, "demo: " + randomFailure));
    }
    return tx.preparedQuery(DemoEffectSql.INSERT)
        .execute(Tuple.of(participant, c.commandId(), c.sagaId(), c.step(), c.phase().id()))
        .map(rows -> new JsonObject().put("participant", participant).put("effectId", rows.iterator().next().getLong("id")));
  }
}
