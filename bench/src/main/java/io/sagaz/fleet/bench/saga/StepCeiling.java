package io.sagaz.fleet.bench.saga;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plain-SQL ceiling of a saga step: per step, update the saga row and insert one outbox row in
 * one transaction, with the same jsonb sizes the engine writes, from a closed loop of concurrent
 * workers. Two shapes: the textbook transaction (BEGIN, UPDATE, INSERT, COMMIT) and the single
 * statement with a data-modifying CTE that the engine itself uses.
 */
final class StepCeiling {
  private static final String UPDATE = """
      UPDATE saga_executions SET steps = $3::jsonb, context = $4::jsonb, row_version = row_version + 1, updated_at = now()
      WHERE saga_id = $1 AND created_at = $2
      """;
  private static final String INSERT_OUTBOX = """
      INSERT INTO saga_outbox (saga_id, aggregate_type, aggregate_id, event_type, topic, payload)
      VALUES ($1, 'saga', $2, 'step.succeeded', 'saga.lifecycle', $3::jsonb)
      """;
  private static final String ONE_STATEMENT = """
      WITH saga AS (
        UPDATE saga_executions SET steps = $3::jsonb, context = $4::jsonb, row_version = row_version + 1, updated_at = now()
        WHERE saga_id = $1 AND created_at = $2
        RETURNING saga_id
      )
      INSERT INTO saga_outbox (saga_id, aggregate_type, aggregate_id, event_type, topic, payload)
      SELECT saga_id, 'saga', saga_id::text, 'step.succeeded', 'saga.lifecycle', $5::jsonb FROM saga
      """;

  private final Vertx vertx;
  private final Pool pool;
  private final JsonObject steps;
  private final JsonObject context;
  private final List<Tuple> rows = new ArrayList<>();
  private final AtomicLong failures = new AtomicLong();

  StepCeiling(Vertx vertx, Pool pool, JsonObject steps, JsonObject context) {
    this.vertx = vertx;
    this.pool = pool;
    this.steps = steps;
    this.context = context;
  }

  /** Inserts {@code n} saga rows to update. */
  Future<Void> prepare(int n) {
    List<Tuple> inserts = new ArrayList<>();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (int i = 0; i < n; i++) {
      UUID id = UUID.randomUUID();
      inserts.add(Tuple.of(id, now));
      rows.add(Tuple.of(id, now));
    }
    return pool.preparedQuery("INSERT INTO saga_executions (saga_id, created_at, saga_name, status) VALUES ($1, $2, 'ceiling', 'EXECUTING')")
        .executeBatch(inserts).mapEmpty();
  }

  /** Steps per second over {@code seconds}, after a warm-up, with {@code concurrency} workers. */
  double run(boolean oneStatement, int concurrency, int warmupSeconds, int seconds) {
    AtomicLong done = new AtomicLong();
    long[] window = new long[2];
    Promise<Void> finished = Promise.promise();
    long startAt = System.nanoTime() + warmupSeconds * 1_000_000_000L;
    long endAt = startAt + seconds * 1_000_000_000L;
    for (int w = 0; w < concurrency; w++) {
      int worker = w;
      vertx.runOnContext(v -> loop(oneStatement, worker, done, endAt));
    }
    vertx.setTimer(warmupSeconds * 1000L, id -> window[0] = done.get());
    vertx.setTimer((warmupSeconds + seconds) * 1000L, id -> {
      window[1] = done.get();
      finished.complete();
    });
    finished.future().await();
    return (window[1] - window[0]) / (double) seconds;
  }

  private void loop(boolean oneStatement, int worker, AtomicLong done, long endAt) {
    if (System.nanoTime() > endAt) {
      return;
    }
    Tuple key = rows.get(worker % rows.size());
    JsonObject payload = new JsonObject().put("version", 1).put("type", "step.succeeded").put("sagaId", key.getValue(0).toString());
    Future<?> step = oneStatement
        ? pool.preparedQuery(ONE_STATEMENT).execute(Tuple.of(key.getValue(0), key.getValue(1), steps, context, payload))
        : pool.withTransaction(c -> c.preparedQuery(UPDATE).execute(Tuple.of(key.getValue(0), key.getValue(1), steps, context))
            .compose(r -> c.preparedQuery(INSERT_OUTBOX).execute(Tuple.of(key.getValue(0), key.getValue(0).toString(), payload))));
    step.onComplete(ar -> {
      if (ar.succeeded()) {
        done.incrementAndGet();
      } else if (failures.getAndIncrement() == 0) {
        System.out.println("ceiling step failed: " + ar.cause());
      }
      loop(oneStatement, worker, done, endAt);
    });
  }
}
