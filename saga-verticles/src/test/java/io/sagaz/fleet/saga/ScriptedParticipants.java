package io.sagaz.fleet.saga;

import io.sagaz.fleet.client.saga.SagaParticipant;
import io.sagaz.fleet.client.saga.StepCommand;
import io.sagaz.fleet.client.saga.StepFailure;
import io.sagaz.fleet.core.saga.StepPhase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real participants (the client's {@link SagaParticipant}, real inbox, real effect rows in
 * {@code saga_demo_effects}) serving {@code t.<step>.do} and {@code t.<step>.undo}, whose outcome a
 * test scripts per step: fail with a code the first n times, answer after a delay, or hang.
 */
final class ScriptedParticipants {
  /** What a step's handler does on its next calls. */
  record Script(int failTimes, int code, long delayMillis, boolean hang) {
    static Script ok() {
      return new Script(0, 0, 0, false);
    }

    static Script fail(int code) {
      return new Script(Integer.MAX_VALUE, code, 0, false);
    }

    static Script failTimes(int n, int code) {
      return new Script(n, code, 0, false);
    }

    static Script delay(long ms) {
      return new Script(0, 0, ms, false);
    }

    static Script hanging() {
      return new Script(0, 0, 0, true);
    }
  }

  private final Vertx vertx;
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final SagaParticipant participant;

  ScriptedParticipants(Vertx vertx, Pool pool, List<String> steps) {
    this.vertx = vertx;
    this.participant = SagaParticipant.create(vertx, pool, "test-participant");
    for (String step : steps) {
      participant.action(address(step, StepPhase.ACTION), this::handle);
      participant.compensation(address(step, StepPhase.COMPENSATION), this::handle);
    }
  }

  static String address(String step, StepPhase phase) {
    return "t." + step + (phase == StepPhase.ACTION ? ".do" : ".undo");
  }

  ScriptedParticipants script(String step, StepPhase phase, Script s) {
    scripts.put(step + "/" + phase.id(), s);
    return this;
  }

  int calls(String step, StepPhase phase) {
    return calls.computeIfAbsent(step + "/" + phase.id(), k -> new AtomicInteger()).get();
  }

  Future<Void> register() {
    return participant.register();
  }

  private Future<JsonObject> handle(StepCommand c, SqlConnection tx) {
    String key = c.step() + "/" + c.phase().id();
    int n = calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    Script s = scripts.getOrDefault(key, Script.ok());
    if (s.hang()) {
      // answers far too late (the orchestrator has given up long before); bounded so the open
      // transaction does not outlive the test
      return vertx.timer(5000).compose(v -> Future.failedFuture(new StepFailure(500, "hung " + key)));
    }
    if (n <= s.failTimes()) {
      return Future.failedFuture(new StepFailure(s.code(), "scripted failure " + n + " of " + key));
    }
    Future<Void> wait = s.delayMillis() > 0 ? vertx.timer(s.delayMillis()).mapEmpty() : Future.succeededFuture();
    return wait.compose(v -> tx.preparedQuery("INSERT INTO saga_demo_effects (participant, command_id, saga_id, step, phase)"
            + " VALUES ('test', $1, $2, $3, $4)")
        .execute(Tuple.of(c.commandId(), c.sagaId(), c.step(), c.phase().id())))
        .map(r -> new JsonObject().put("step", c.step()).put("call", n));
  }
}
