package io.sagaz.fleet.saga;

import io.sagaz.fleet.core.saga.SagaState;
import io.sagaz.fleet.core.saga.Transition;
import io.sagaz.fleet.core.saga.sql.SagaAuditLogSql;
import io.sagaz.fleet.core.saga.sql.SagaExecutionSql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The saga engine's statements. Each write is a single statement, hence a single transaction. */
final class SagaStore {
  /**
   * Transition statements in flight at once. One: whatever arrives while it runs goes into the next
   * statement, so batches grow with the load and each commit is shared by more sagas. Measured with
   * the saga benchmark (docs/benchmarks.md), one in flight gave the highest throughput and the lowest
   * step p99 at half load; 2 and 4 statements competing for the same two cores only made each slower.
   */
  static final int WRITERS = 1;
  /** Most sagas per transition statement. */
  static final int MAX_BATCH = 200;

  private final Pool pool;
  private final TransitionWriter writer;
  private final String node;
  private final long leaseMillis;

  SagaStore(Pool pool, String node, Duration lease) {
    this.pool = pool;
    this.writer = new TransitionWriter(pool, node, lease.toMillis(), WRITERS, MAX_BATCH);
    this.node = node;
    this.leaseMillis = lease.toMillis();
  }

  /** Inserts a started saga with its audit rows and events; false when the idempotency key was taken. */
  Future<Boolean> insert(Transition t, JsonObject input, String idempotencyKey) {
    return writer.insert(t, input, idempotencyKey);
  }

  /**
   * Persists the state reached by one or more transitions folded together, if the row is still at
   * {@code rowVersion} and owned by this node; false when another node took the saga over. Written
   * in batches with other sagas' transitions (see {@link TransitionWriter}).
   */
  Future<Boolean> transition(SagaState s, long rowVersion, JsonArray audit, JsonArray outbox) {
    return writer.write(s, rowVersion, audit, outbox);
  }

  /** The saga row, or null. */
  Future<Row> load(UUID sagaId) {
    return pool.preparedQuery(SagaExecutionSql.BY_ID).execute(Tuple.of(sagaId)).map(SagaStore::firstOrNull);
  }

  /** The saga an idempotency key started: {@code saga_id, status}, or null. */
  Future<Row> byIdempotencyKey(String saga, String key) {
    return pool.preparedQuery(SagaExecutionSql.BY_IDEMPOTENCY_KEY).execute(Tuple.of(saga, key)).map(SagaStore::firstOrNull);
  }

  /** Takes the saga over; the new row_version, or null when the row moved on meanwhile. */
  Future<Long> claim(UUID sagaId, java.time.Instant createdAt, long rowVersion) {
    return pool.preparedQuery(SagaExecutionSql.CLAIM)
        .execute(Tuple.of(sagaId, SagaJson.odt(createdAt), rowVersion, node, leaseMillis))
        .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getLong("row_version"));
  }

  /** Claims up to {@code limit} sagas whose lease expired (and this node's own, after a restart). */
  Future<RowSet<Row>> recover(List<String> names, boolean includeOwn, int limit, Set<UUID> running) {
    return pool.preparedQuery(SagaExecutionSql.RECOVER)
        .execute(Tuple.of(node, leaseMillis, names.toArray(new String[0]), includeOwn, limit, running.toArray(new UUID[0])));
  }

  /** Renews the leases of {@code ids}; the ids this node still holds. */
  Future<Set<UUID>> renew(Set<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(SagaExecutionSql.RENEW).execute(Tuple.of(node, leaseMillis, ids.toArray(new UUID[0])))
        .map(rows -> {
          Set<UUID> held = new HashSet<>();
          rows.forEach(r -> held.add(r.getUUID("saga_id")));
          return held;
        });
  }

  /** Lets the leases of {@code ids} run out now (graceful stop). */
  Future<Void> release(Set<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(SagaExecutionSql.RELEASE).execute(Tuple.of(node, (Object) ids.toArray(new UUID[0]))).mapEmpty();
  }

  Future<RowSet<Row>> list(String status, String name, int limit) {
    return pool.preparedQuery(SagaExecutionSql.LIST).execute(Tuple.of(status, name, limit));
  }

  Future<List<Row>> history(UUID sagaId) {
    return pool.preparedQuery(SagaAuditLogSql.BY_SAGA).execute(Tuple.of(sagaId)).map(rows -> {
      List<Row> out = new ArrayList<>();
      rows.forEach(out::add);
      return out;
    });
  }

  private static Row firstOrNull(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? rows.iterator().next() : null;
  }
}
