package io.sagaz.fleet.maintenance;

import io.sagaz.fleet.core.config.MaintenanceConfig;
import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.maintenance.LeaseSql;
import io.sagaz.fleet.core.maintenance.LeaseTiming;
import io.sagaz.fleet.core.maintenance.MaintenanceSql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs maintenance work in fenced transactions (design.md section 7) and logs every run in
 * {@code partition_maintenance_runs}. A run is one or more steps, each its own transaction.
 *
 * <p>Each transaction sets its own {@code lock_timeout} (so DDL never queues behind a long transaction
 * and, worse, makes writers queue behind it), an idle-in-transaction bound (so the server aborts the
 * transaction of a leader paused mid-run), then checks that this holder still holds the lease under
 * this epoch, takes the cluster-wide advisory lock, does the work, and checks the lease once more just
 * before commit. A deposed leader's work therefore fails and rolls back; the advisory lock keeps two
 * runs from ever overlapping even while two nodes believe they lead. Lock timeouts and a busy advisory
 * lock are retried a bounded number of times with backoff.
 */
final class FencedRunner {
  /** The work of one run; it returns one JSON object per action it took. */
  interface Work {
    Future<JsonArray> run(SqlConnection conn);
  }

  /**
   * What every step's transaction runs with, and the pause after each step of a run: short
   * transactions alone still leave writers a backlog when they come back to back, and an unthrottled
   * ANALYZE takes a core the writers need (docs/decisions.md, "Maintenance is paced").
   */
  record StepGuards(Duration lockTimeout, Duration analyzeCostDelay, int analyzeCostLimit, int analyzeStatisticsTarget,
      Duration pauseBetween) {
    static StepGuards of(MaintenanceConfig config) {
      return new StepGuards(config.lockTimeout(), config.analyzeCostDelay(), config.analyzeCostLimit(),
          config.analyzeStatisticsTarget(), config.stepPause());
    }

    /** Only a lock timeout: ANALYZE at full speed with the server's statistics target and no pause, as one transaction would run. */
    static StepGuards unpaced(Duration lockTimeout) {
      return new StepGuards(lockTimeout, Duration.ZERO, 200, 0, Duration.ZERO);
    }
  }

  /** What a finished run did: the body of the reply to whoever asked for it. */
  record Outcome(Long runId, Leadership by, String trigger, JsonArray actions, Duration took) {
    JsonObject toJson() {
      return new JsonObject().put("version", 1).put("runId", runId).put("holder", by.holder()).put("epoch", by.epoch())
          .put("trigger", trigger).put("actions", actions).put("durationMs", took.toMillis());
    }
  }

  private static final Logger log = LoggerFactory.getLogger(FencedRunner.class);

  private final Vertx vertx;
  private final Pool pool;
  private final String leaseName;
  private final LeaseTiming timing;
  private final StepGuards guards;
  private final int maxAttempts;

  FencedRunner(Vertx vertx, Pool pool, String leaseName, LeaseTiming timing, StepGuards guards, int maxAttempts) {
    this.vertx = vertx;
    this.pool = pool;
    this.leaseName = leaseName;
    this.timing = timing;
    this.guards = guards;
    this.maxAttempts = maxAttempts;
  }

  /** Runs one piece of work under {@code by}'s lease, in one fenced transaction. */
  Future<Outcome> run(Leadership by, String trigger, Work work) {
    return run(by, trigger, List.of(work));
  }

  /**
   * Runs {@code steps} under {@code by}'s lease, each in its own fenced transaction, as one logged run:
   * short transactions keep the locks DDL takes (a DETACH locks the whole table) from piling up until
   * the end of the run. The run row is written by the first step and updated by every later one, so it
   * only ever shows work that committed under a valid lease. Steps are {@link StepGuards#pauseBetween}
   * apart. Fails with {@link MaintenanceFailure}.
   */
  Future<Outcome> run(Leadership by, String trigger, List<Work> steps) {
    RunState state = new RunState();
    long t0 = System.nanoTime();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < steps.size(); i++) {
      Work step = steps.get(i);
      boolean last = i == steps.size() - 1;
      chain = chain.compose(v -> attempt(by, trigger, state, step, last, 1));
      if (!last && !guards.pauseBetween().isZero()) {
        chain = chain.compose(v -> vertx.timer(guards.pauseBetween().toMillis()).mapEmpty());
      }
    }
    return chain
        .map(v -> new Outcome(state.runId, by, trigger, state.actions, Duration.ofNanos(System.nanoTime() - t0)))
        .recover(err -> recordFailure(by, trigger, state, MaintenanceFailure.from(err)));
  }

  /** What the committed steps of a run did so far. */
  private static final class RunState {
    Long runId;
    final JsonArray actions = new JsonArray();
    final Set<String> seen = new HashSet<>();

    /** The step's actions not reported by an earlier step (retention reports a kept partition each time). */
    JsonArray fresh(JsonArray stepActions) {
      JsonArray out = new JsonArray();
      Set<String> keys = new HashSet<>(seen);
      for (Object o : stepActions) {
        JsonObject a = (JsonObject) o;
        if (keys.add(a.getString("action") + "|" + a.getString("table") + "|" + a.getString("partition"))) {
          out.add(a);
        }
      }
      return out;
    }

    void committed(long id, JsonArray stepActions) {
      runId = id;
      for (Object o : stepActions) {
        JsonObject a = (JsonObject) o;
        seen.add(a.getString("action") + "|" + a.getString("table") + "|" + a.getString("partition"));
        actions.add(a);
      }
    }
  }

  private record StepDone(long runId, JsonArray actions) {}

  private Future<Void> attempt(Leadership by, String trigger, RunState state, Work work, boolean last, int n) {
    long t0 = System.nanoTime();
    return pool.withTransaction(conn -> step(conn, by, trigger, state, work, last))
        .map(done -> {
          log.debug("maintenance {} step committed in {} ms: {}", trigger, (System.nanoTime() - t0) / 1_000_000, done.actions.encode());
          state.committed(done.runId, done.actions);
          return (Void) null;
        })
        .recover(err -> {
          if (n >= maxAttempts || !MaintenanceFailure.isTransient(err)) {
            return Future.failedFuture(err);
          }
          long backoff = Math.min(2_000, 100L << (n - 1));
          log.info("maintenance {} attempt {} of {} by {} (epoch {}) will retry in {} ms: {}",
              trigger, n, maxAttempts, by.holder(), by.epoch(), backoff, err.getMessage());
          return vertx.timer(backoff).compose(t -> attempt(by, trigger, state, work, last, n + 1));
        });
  }

  private Future<StepDone> step(SqlConnection conn, Leadership by, String trigger, RunState state, Work work, boolean last) {
    return conn.preparedQuery(MaintenanceSql.SET_GUARDS)
        .execute(Tuple.of(LeaseTiming.pgDuration(guards.lockTimeout()), LeaseTiming.pgDuration(timing.idleInTransaction()),
            LeaseTiming.pgDuration(timing.statement()), guards.analyzeCostDelay().toMillis() + "ms",
            String.valueOf(guards.analyzeCostLimit()), String.valueOf(guards.analyzeStatisticsTarget())))
        .compose(v -> checkLease(conn, by, "before its work"))
        .compose(v -> conn.preparedQuery(MaintenanceSql.TRY_ADVISORY_XACT_LOCK).execute(Tuple.of(MaintenanceSql.ADVISORY_LOCK_KEY)))
        .compose(rows -> Boolean.TRUE.equals(rows.iterator().next().getBoolean("locked"))
            ? Future.succeededFuture()
            : Future.failedFuture(new MaintenanceFailure.Busy("another maintenance transaction holds the advisory lock")))
        .compose(v -> state.runId != null ? Future.succeededFuture(state.runId) : startRun(conn, by, trigger))
        .compose(runId -> work.run(conn).compose(stepActions -> {
          JsonArray fresh = state.fresh(stepActions);
          return checkLease(conn, by, "before commit")
              .compose(v -> conn.preparedQuery(MaintenanceSql.STEP_DONE)
                  .execute(Tuple.of(runId, last ? "succeeded" : "running", fresh)))
              .map(v -> new StepDone(runId, fresh));
        }));
  }

  private Future<Long> startRun(SqlConnection conn, Leadership by, String trigger) {
    return conn.preparedQuery(MaintenanceSql.ABANDON_OLDER_RUNS).execute(Tuple.of(by.epoch()))
        .compose(v -> conn.preparedQuery(MaintenanceSql.INSERT_RUN).execute(Tuple.of(by.holder(), by.epoch(), trigger)))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  private Future<Void> checkLease(SqlConnection conn, Leadership by, String when) {
    return conn.preparedQuery(LeaseSql.CHECK_HELD).execute(Tuple.of(leaseName, by.holder(), by.epoch()))
        .compose(rows -> rows.size() == 1
            ? Future.succeededFuture()
            : Future.failedFuture(new MaintenanceFailure.Fenced(
                "lease '" + leaseName + "' is no longer held by " + by.holder() + " under epoch " + by.epoch() + " (checked " + when + ")")));
  }

  private Future<Outcome> recordFailure(Leadership by, String trigger, RunState state, MaintenanceFailure failure) {
    if (failure.code() == FailureCode.INVALID && state.runId == null) {
      // a refused request (bad table or range) is not a run: it rolled back and changed nothing
      return Future.failedFuture(failure);
    }
    String status = failure instanceof MaintenanceFailure.Fenced ? "fenced" : "failed";
    log.warn("maintenance {} {}: holder={} epoch={}: {}", trigger, status, by.holder(), by.epoch(), failure.getMessage());
    Future<?> recorded = state.runId == null
        ? pool.preparedQuery(MaintenanceSql.INSERT_REFUSED_RUN).execute(Tuple.of(by.holder(), by.epoch(), trigger, status, failure.getMessage()))
        : pool.preparedQuery(MaintenanceSql.MARK_RUN).execute(Tuple.of(state.runId, status, failure.getMessage()));
    return recorded.transform(ar -> {
      if (ar.failed()) {
        log.warn("could not record the {} maintenance run: {}", status, ar.cause().toString());
      }
      return Future.failedFuture(failure);
    });
  }
}
