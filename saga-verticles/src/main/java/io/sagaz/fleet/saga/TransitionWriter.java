package io.sagaz.fleet.saga;

import io.sagaz.fleet.core.saga.SagaState;
import io.sagaz.fleet.core.saga.Transition;
import io.sagaz.fleet.core.saga.sql.SagaExecutionSql;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes saga starts and transitions, many sagas per statement. With fewer than {@code maxInFlight} statements
 * running, a transition is written at once (no added latency at low load); otherwise it waits for
 * the next statement, which takes everything queued meanwhile. Under load the batches grow by
 * themselves and the per-statement and per-commit costs are shared. Each saga has at most one
 * transition queued or in flight (the engine serializes per saga), so a batch never holds two of
 * one saga. Runs on the orchestrator's event loop.
 */
final class TransitionWriter {
  private final Pool pool;
  private final String node;
  private final int maxInFlight;
  private final int maxBatch;
  private final long leaseMillis;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private final Deque<Start> starts = new ArrayDeque<>();
  private int inFlight;
  private int startsInFlight;

  private record Pending(SagaState state, long rowVersion, JsonArray audit, JsonArray outbox, Promise<Boolean> done) {}

  private record Start(Transition started, JsonObject input, String idempotencyKey, Promise<Boolean> done) {}

  TransitionWriter(Pool pool, String node, long leaseMillis, int maxInFlight, int maxBatch) {
    this.pool = pool;
    this.node = node;
    this.leaseMillis = leaseMillis;
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
  }

  /** Inserts a started saga under this node's lease; false when its idempotency key was taken. */
  Future<Boolean> insert(Transition started, JsonObject input, String idempotencyKey) {
    Promise<Boolean> done = Promise.promise();
    starts.add(new Start(started, input, idempotencyKey, done));
    flushStarts();
    return done.future();
  }

  // Starts have their own statements in flight (half as many), so a burst of starts cannot hold
  // back the steps of sagas already running.
  private void flushStarts() {
    if (startsInFlight >= Math.max(1, maxInFlight / 2) || starts.isEmpty()) {
      return;
    }
    List<Start> batch = new ArrayList<>();
    while (!starts.isEmpty() && batch.size() < maxBatch) {
      batch.add(starts.poll());
    }
    startsInFlight++;
    JsonArray sagas = new JsonArray();
    JsonArray audit = new JsonArray();
    JsonArray outbox = new JsonArray();
    for (Start st : batch) {
      SagaState s = st.started().state();
      String id = s.sagaId().toString();
      sagas.add(new JsonObject().put("saga_id", id).put("saga_name", s.sagaName()).put("saga_version", s.sagaVersion())
          .put("idempotency_key", st.idempotencyKey()).put("created_at", s.createdAt().toString())
          .put("status", s.status().name()).put("input", st.input()).put("context", SagaJson.context(s))
          .put("steps", SagaJson.steps(s.steps()))
          .put("deadline_at", s.deadlineAt() == null ? null : s.deadlineAt().toString()));
      addRows(audit, SagaJson.auditRows(st.started().audit()), id);
      addRows(outbox, SagaJson.outboxRows(st.started().events(), s.sagaId(), s.sagaName()), id);
    }
    pool.preparedQuery(SagaExecutionSql.INSERT_BATCH).execute(Tuple.of(node, sagas, leaseMillis, audit, outbox))
        .onComplete(ar -> {
          startsInFlight--;
          complete(ar, batch.stream().map(st -> st.started().state().sagaId()).toList(),
              batch.stream().map(Start::done).toList());
          flushStarts();
        });
  }

  private static void addRows(JsonArray into, JsonArray rows, String sagaId) {
    for (Object r : rows) {
      into.add(((JsonObject) r).put("saga_id", sagaId).put("n", into.size()));
    }
  }

  private static void complete(io.vertx.core.AsyncResult<io.vertx.sqlclient.RowSet<Row>> ar, List<UUID> ids, List<Promise<Boolean>> done) {
    if (ar.failed()) {
      done.forEach(p -> p.fail(ar.cause()));
      return;
    }
    Set<UUID> written = new HashSet<>();
    for (Row r : ar.result()) {
      written.add(r.getUUID("saga_id"));
    }
    for (int i = 0; i < ids.size(); i++) {
      done.get(i).complete(written.contains(ids.get(i)));
    }
  }

  /** Writes the state reached and its audit/outbox rows if the row is still at {@code rowVersion}; false if not. */
  Future<Boolean> write(SagaState state, long rowVersion, JsonArray audit, JsonArray outbox) {
    Promise<Boolean> done = Promise.promise();
    queue.add(new Pending(state, rowVersion, audit, outbox, done));
    flush();
    return done.future();
  }

  private void flush() {
    if (inFlight >= maxInFlight || queue.isEmpty()) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    while (!queue.isEmpty() && batch.size() < maxBatch) {
      batch.add(queue.poll());
    }
    inFlight++;
    JsonArray sagas = new JsonArray();
    JsonArray audit = new JsonArray();
    JsonArray outbox = new JsonArray();
    for (Pending p : batch) {
      SagaState s = p.state();
      String id = s.sagaId().toString();
      sagas.add(new JsonObject().put("saga_id", id).put("created_at", s.createdAt().toString())
          .put("row_version", p.rowVersion()).put("status", s.status().name()).put("context", SagaJson.context(s))
          .put("steps", SagaJson.steps(s.steps())).put("error", s.error())
          .put("deadline_at", s.deadlineAt() == null ? null : s.deadlineAt().toString())
          .put("completed_at", s.completedAt() == null ? null : s.completedAt().toString())
          .put("active", s.status().active()));
      addRows(audit, p.audit(), id);
      addRows(outbox, p.outbox(), id);
    }
    pool.preparedQuery(SagaExecutionSql.TRANSITION_BATCH).execute(Tuple.of(node, sagas, audit, outbox))
        .onComplete(ar -> {
          inFlight--;
          complete(ar, batch.stream().map(p -> p.state().sagaId()).toList(), batch.stream().map(Pending::done).toList());
          flush();
        });
  }
}
