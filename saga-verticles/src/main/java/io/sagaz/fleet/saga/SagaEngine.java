package io.sagaz.fleet.saga;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.outbox.OutboxWriter;
import io.sagaz.fleet.client.saga.StepCommand;
import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.saga.SagaAction;
import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.core.saga.SagaEvent;
import io.sagaz.fleet.core.saga.SagaState;
import io.sagaz.fleet.core.saga.SagaStatus;
import io.sagaz.fleet.core.saga.StepStatus;
import io.sagaz.fleet.core.saga.SagaStateMachine;
import io.sagaz.fleet.core.saga.Transition;
import io.sagaz.fleet.core.saga.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sagas this node owns: applies events through the pure {@link SagaStateMachine}, persists
 * each transition (state, audit rows, outbox events) in one statement, and only after the commit
 * sends step commands, sets timers and publishes lifecycle events. Everything here runs on the
 * orchestrator verticle's event loop, so the live-saga map needs no locking.
 */
final class SagaEngine {
  private static final Logger log = LoggerFactory.getLogger(SagaEngine.class);

  private final Vertx vertx;
  private final SagaStore store;
  private final SagaDefinitions defs;
  private final String node;
  private final Map<UUID, LiveSaga> live = new HashMap<>();
  private final SagaMetrics metrics;
  private final OutboxWriter wakeUp;

  SagaEngine(Vertx vertx, SagaStore store, SagaDefinitions defs, String node, io.micrometer.core.instrument.MeterRegistry meters) {
    this.vertx = vertx;
    this.store = store;
    this.defs = defs;
    this.node = node;
    this.metrics = new SagaMetrics(meters, defs.names(), () -> List.copyOf(live.values()));
    this.wakeUp = new OutboxWriter(vertx);
  }

  Collection<LiveSaga> live() {
    return live.values();
  }

  /** Starts a saga (or finds the one {@code idempotencyKey} started): {@code {sagaId, status, created}}. */
  Future<JsonObject> start(SagaDefinition def, JsonObject input, String idempotencyKey) {
    Instant now = Instant.now();
    UUID id = UuidV7.generate(now);
    SagaState initial = SagaState.initial(def, id, UuidV7.timestamp(id).orElseThrow());
    Transition t = SagaStateMachine.apply(def, initial, new SagaEvent.Start(now));
    return store.insert(t, input, idempotencyKey).compose(created -> {
      if (!created) {
        return store.byIdempotencyKey(def.name(), idempotencyKey).compose(row -> row == null
            ? Future.failedFuture(failure(FailureCode.CONFLICT, "idempotency key is being used by a start that has not committed; retry"))
            : Future.succeededFuture(reply(row.getUUID("saga_id"), row.getString("status")).put("created", false)));
      }
      LiveSaga saga = new LiveSaga(def, t.state(), input, 1);
      live.put(id, saga);
      metrics.started(def.name());
      afterCommit(saga, List.of(t));
      return Future.succeededFuture(reply(id, t.state().status().name()).put("created", true));
    });
  }

  /** Applies {@code event} to a saga this node owns, or takes it over first; the committed transition. */
  Future<Transition> submit(UUID sagaId, SagaEvent event) {
    LiveSaga saga = live.get(sagaId);
    return saga != null ? submit(saga, event) : takeOver(sagaId).compose(s -> submit(s, event));
  }

  /** Loads a saga and claims it for this node (bumping its epoch), re-sending what it had in flight. */
  private Future<LiveSaga> takeOver(UUID sagaId) {
    return store.load(sagaId).compose(row -> {
      if (row == null) {
        return Future.failedFuture(failure(FailureCode.NOT_FOUND, "no saga " + sagaId));
      }
      LiveSaga saga = fromRow(row);
      return store.claim(sagaId, saga.state.createdAt(), saga.rowVersion).compose(version -> {
        if (version == null) {
          return Future.failedFuture(failure(FailureCode.CONFLICT, "saga " + sagaId + " changed while taking it over; retry"));
        }
        saga.rowVersion = version;
        LiveSaga existing = live.putIfAbsent(sagaId, saga);
        if (existing != null) {
          return Future.succeededFuture(existing);
        }
        if (saga.state.status().active()) {
          submit(saga, new SagaEvent.Resume(node, Instant.now()));
        }
        return Future.succeededFuture(saga);
      });
    });
  }

  /** Cancels a saga: a running one compensates what it completed. {@code {sagaId, status}}. */
  Future<JsonObject> cancel(UUID sagaId, String reason) {
    return operate(sagaId, new SagaEvent.Cancel(reason, Instant.now()));
  }

  /** Operator retry of a FAILED saga. {@code {sagaId, status}}. */
  Future<JsonObject> retry(UUID sagaId) {
    return operate(sagaId, new SagaEvent.OperatorRetry(Instant.now()));
  }

  /**
   * Applies an operator's event. A saga this node does not hold is taken over first, but only when
   * a dry run shows the event would change it: a refused or no-op request changes nothing,
   * ownership included.
   */
  private Future<JsonObject> operate(UUID sagaId, SagaEvent event) {
    return peek(sagaId).compose(saga -> {
      if (saga == null) {
        return Future.failedFuture(failure(FailureCode.NOT_FOUND, "no saga " + sagaId));
      }
      if (!live.containsKey(sagaId)) {
        Transition dry = SagaStateMachine.apply(saga.def, saga.state, event);
        if (dry.rejected()) {
          return conflict(dry.rejection());
        }
        if (!dry.changed()) {
          return Future.succeededFuture(reply(sagaId, saga.state.status().name()));
        }
      }
      return submit(sagaId, event).compose(t -> t.rejected() ? conflict(t.rejection())
          : Future.succeededFuture(reply(sagaId, t.state().status().name())));
    });
  }

  private static <T> Future<T> conflict(String text) {
    return Future.failedFuture(failure(FailureCode.CONFLICT, text));
  }

  /** A saga that must not be taken over for this request (not active): its state, read only. */
  Future<LiveSaga> peek(UUID sagaId) {
    LiveSaga saga = live.get(sagaId);
    if (saga != null) {
      return Future.succeededFuture(saga);
    }
    return store.load(sagaId).map(row -> row == null ? null : fromRow(row));
  }

  /** Claims sagas whose lease ran out and resumes them; how many. */
  Future<Integer> recover(boolean includeOwn, int limit) {
    return store.recover(defs.names(), includeOwn, limit, new java.util.HashSet<>(live.keySet())).map(rows -> {
      int n = 0;
      for (Row row : rows) {
        LiveSaga saga;
        try {
          saga = fromRow(row);
        } catch (IllegalStateException e) {
          log.error("cannot resume: {}", e.getMessage());
          continue;
        }
        if (live.putIfAbsent(saga.state.sagaId(), saga) == null) {
          SagaLogContext.log(saga.state.sagaId(), saga.def.name(), () -> log.info("saga {} ({}) resumed by node {} in status {}",
              saga.state.sagaId(), saga.def.name(), node, saga.state.status()));
          submit(saga, new SagaEvent.Resume(node, Instant.now()));
          n++;
        }
      }
      return n;
    });
  }

  /** Renews the leases of the sagas held here; drops the ones another node took over. */
  Future<Void> renewLeases() {
    // only the sagas asked about can be judged: others may have started while the renewal ran
    Map<UUID, LiveSaga> asked = new HashMap<>(live);
    return store.renew(asked.keySet()).map(held -> {
      asked.forEach((id, s) -> {
        if (!held.contains(id) && live.get(id) == s && !s.writing && s.state.status().active()) {
          drop(s, "lease not renewed: another node holds it");
        }
      });
      return null;
    });
  }

  /**
   * Forgets every saga and ends their leases so another node resumes them at once. If the database
   * cannot be reached the leases simply run out. Replies still on their way here are lost; the new
   * owner re-sends those commands with the same ids.
   */
  Future<Void> shutdown() {
    List<LiveSaga> all = List.copyOf(live.values());
    all.forEach(s -> drop(s, null));
    log.info("node {} stopping: handing over {} sagas", node, all.size());
    Set<UUID> ids = new java.util.HashSet<>();
    all.forEach(s -> ids.add(s.state.sagaId()));
    return store.release(ids).recover(e -> {
      log.warn("node {} could not release saga leases ({}); they expire on their own", node, e.getMessage());
      return Future.succeededFuture();
    });
  }

  private LiveSaga fromRow(Row row) {
    SagaState state = SagaJson.state(row);
    SagaDefinition def = defs.get(state.sagaName(), state.sagaVersion())
        .orElseThrow(() -> new IllegalStateException("saga " + state.sagaId() + " runs definition "
            + state.sagaName() + " v" + state.sagaVersion() + ", which this node does not have"));
    JsonObject input = row.getJsonObject("input");
    return new LiveSaga(def, state, input == null ? new JsonObject() : input, row.getLong("row_version"));
  }

  private Future<Transition> submit(LiveSaga saga, SagaEvent event) {
    Promise<Transition> done = Promise.promise();
    saga.queue.add(new LiveSaga.Pending(event, done));
    if (!saga.writing) {
      drain(saga);
    }
    return done.future();
  }

  /** Folds every queued event into one state and writes it once. */
  private void drain(LiveSaga saga) {
    if (saga.queue.isEmpty()) {
      return;
    }
    List<LiveSaga.Pending> batch = new ArrayList<>(saga.queue);
    saga.queue.clear();
    SagaState state = saga.state;
    List<Transition> applied = new ArrayList<>();
    List<LiveSaga.Pending> waiting = new ArrayList<>();
    JsonArray audit = new JsonArray();
    JsonArray outbox = new JsonArray();
    boolean changed = false;
    for (LiveSaga.Pending p : batch) {
      Transition t = SagaStateMachine.apply(saga.def, state, p.event());
      if (t.rejected()) {
        p.done().complete(t);
        continue;
      }
      state = t.state();
      applied.add(t);
      waiting.add(p);
      changed |= t.changed();
      SagaJson.auditRows(t.audit()).forEach(audit::add);
      SagaJson.outboxRows(t.events(), state.sagaId(), state.sagaName()).forEach(outbox::add);
    }
    if (!changed) {
      afterCommit(saga, applied);
      for (int i = 0; i < waiting.size(); i++) {
        waiting.get(i).done().complete(applied.get(i));
      }
      if (!saga.state.status().active()) {
        drop(saga, null); // e.g. a rejected operator retry on a saga taken over only for it
      }
      return;
    }
    SagaState next = state;
    saga.writing = true;
    store.transition(next, saga.rowVersion, audit, outbox).onComplete(ar -> {
      saga.writing = false;
      if (ar.succeeded() && ar.result()) {
        saga.rowVersion++;
        saga.state = next;
        afterCommit(saga, applied);
        for (int i = 0; i < waiting.size(); i++) {
          waiting.get(i).done().complete(applied.get(i));
        }
        drain(saga);
      } else {
        String why = ar.succeeded() ? "another node took saga " + next.sagaId() + " over" : "write failed: " + ar.cause().getMessage();
        drop(saga, why);
        int code = ar.succeeded() ? FailureCode.CONFLICT.code() : FailureCode.DEPENDENCY_DOWN.code();
        waiting.forEach(p -> p.done().fail(new ReplyException(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, code, why)));
      }
    });
  }

  /** What a committed transition asks for: commands, timer, lifecycle events, metrics. */
  private void afterCommit(LiveSaga saga, List<Transition> applied) {
    SagaAction.ScheduleTick tick = null;
    boolean outbox = false;
    for (Transition t : applied) {
      tick = null;
      for (SagaAction a : t.actions()) {
        if (a instanceof SagaAction.SendCommand c) {
          send(saga, c);
        } else if (a instanceof SagaAction.ScheduleTick st) {
          tick = st;
        }
      }
      for (var e : t.events()) {
        vertx.eventBus().publish(Addresses.SAGA_EVENTS, SagaJson.lifecycle(e, saga.state.sagaId(), saga.def.name()));
        metrics.lifecycle(e.type(), saga.def.name());
        if (e.status() == SagaStatus.FAILED) {
          logFailed(saga);
        }
        outbox = true;
      }
    }
    if (outbox) {
      wakeUp.hint(); // coalesced: at most one wake-up per millisecond however many sagas moved
    }
    if (!saga.state.status().active()) {
      drop(saga, null);
    } else if (tick != null) {
      schedule(saga, tick.at());
    }
  }

  private void schedule(LiveSaga saga, Instant at) {
    if (saga.timerAt != null && !saga.timerAt.isAfter(at)) {
      return; // an earlier tick is set; it will ask for the next one
    }
    if (saga.timerId >= 0) {
      vertx.cancelTimer(saga.timerId);
    }
    long delay = Math.max(1, Duration.between(Instant.now(), at).toMillis());
    saga.timerAt = at;
    saga.timerId = vertx.setTimer(delay, id -> {
      saga.timerId = -1;
      saga.timerAt = null;
      if (live.get(saga.state.sagaId()) == saga) {
        submit(saga, new SagaEvent.Tick(Instant.now()));
      }
    });
  }

  private void send(LiveSaga saga, SagaAction.SendCommand c) {
    UUID sagaId = saga.state.sagaId();
    JsonObject body = new StepCommand(sagaId, saga.def.name(), c.step(), c.phase(), c.attempt(), c.commandId(),
        saga.input, SagaJson.context(saga.state)).toJson();
    long t0 = System.nanoTime();
    vertx.eventBus().<Object>request(c.address(), body, new DeliveryOptions().setSendTimeout(c.timeout().toMillis()))
        .onComplete(ar -> {
          metrics.stepDuration(saga.def.name(), c.step(), c.phase().id(), ar.succeeded() ? "ok" : "failed", System.nanoTime() - t0);
          if (live.get(sagaId) != saga) {
            return; // finished, or taken over by another node which re-sends what it needs
          }
          submit(saga, ar.succeeded() ? StepReplies.succeeded(c, ar.result()) : StepReplies.failed(c, ar.cause()));
        });
  }

  /** The one outcome that needs a person: a compensation that could not complete. */
  private void logFailed(LiveSaga saga) {
    String steps = saga.state.steps().entrySet().stream()
        .filter(st -> st.getValue().status() == StepStatus.COMPENSATION_FAILED)
        .map(st -> st.getKey() + " (" + st.getValue().error() + ")")
        .collect(java.util.stream.Collectors.joining(", "));
    SagaLogContext.log(saga.state.sagaId(), saga.def.name(), () -> log.warn(
        "saga {} ({}) FAILED: the compensation of {} could not complete; it waits for an operator"
            + " (POST /api/v1/sagas/{}/retry-compensation)", saga.state.sagaId(), saga.def.name(),
        steps.isEmpty() ? "a step" : steps, saga.state.sagaId()));
  }

  private void drop(LiveSaga saga, String why) {
    if (live.remove(saga.state.sagaId(), saga) && why != null) {
      SagaLogContext.log(saga.state.sagaId(), saga.def.name(),
          () -> log.warn("saga {} dropped by node {}: {}", saga.state.sagaId(), node, why));
    }
    if (saga.timerId >= 0) {
      vertx.cancelTimer(saga.timerId);
      saga.timerId = -1;
      saga.timerAt = null;
    }
    saga.queue.forEach(p -> p.done().tryFail(failure(FailureCode.CONFLICT, "saga " + saga.state.sagaId() + " is no longer run by node " + node)));
    saga.queue.clear();
  }

  static ReplyException failure(FailureCode code, String text) {
    return new ReplyException(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, code.code(), text);
  }

  static JsonObject reply(UUID sagaId, String status) {
    return new JsonObject().put("version", 1).put("sagaId", sagaId.toString()).put("status", status);
  }
}
