package io.sagaz.fleet.saga;

import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.core.saga.SagaEvent;
import io.sagaz.fleet.core.saga.SagaState;
import io.sagaz.fleet.core.saga.Transition;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A saga this node owns, in memory. Touched only on the orchestrator's event loop. Events queue up
 * while a write is in flight and are folded into the next write, so a saga has at most one write
 * at a time and parallel replies cost one transaction, not one each.
 */
final class LiveSaga {
  final SagaDefinition def;
  final JsonObject input;
  SagaState state;
  long rowVersion;
  boolean writing;
  final Deque<Pending> queue = new ArrayDeque<>();
  long timerId = -1;
  Instant timerAt;

  LiveSaga(SagaDefinition def, SagaState state, JsonObject input, long rowVersion) {
    this.def = def;
    this.state = state;
    this.input = input;
    this.rowVersion = rowVersion;
  }

  /** An event waiting to be applied, and who waits for its transition. */
  record Pending(SagaEvent event, Promise<Transition> done) {}
}
