package io.sagaz.fleet.admin.api;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sagaz.fleet.admin.http.ProblemException;
import io.sagaz.fleet.admin.db.PgBouncerConsole;
import io.sagaz.fleet.admin.sql.PgStatSql;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/pool}: this node's database pool. Two views: the client side from Vert.x's pool
 * metrics (connections in use, requests waiting), present when the app enables metrics; and the
 * server side from pg_stat_activity (this pool's sessions by state). With {@code db.pgbouncerAdminUrl},
 * also PgBouncer's {@code SHOW POOLS}: {@code pgbouncer} for the first console (as before several could
 * be given), {@code pgbouncers} for each of them. PgBouncer not answering is reported in the body, not
 * as a failure.
 */
public final class PoolHandler implements Handler<RoutingContext> {
  private final Pool pool;
  private final MeterRegistry meters;
  private final int configuredSize;
  private final List<PgBouncerConsole> pgbouncer;

  public PoolHandler(Pool pool, MeterRegistry meters, int configuredSize, List<PgBouncerConsole> pgbouncer) {
    this.pool = pool;
    this.meters = meters;
    this.configuredSize = configuredSize;
    this.pgbouncer = pgbouncer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Future<JsonArray> bouncers = pgbouncerPools();
    pool.query(PgStatSql.SESSIONS_BY_STATE).execute()
        .compose(rows -> bouncers.map(b -> Map.entry(rows, b)))
        .onSuccess(result -> {
          RowSet<Row> rows = result.getKey();
          JsonObject byState = new JsonObject();
          String applicationName = null;
          int total = 0;
          for (Row row : rows) {
            applicationName = row.getString("applicationName");
            byState.put(row.getString("state"), row.getInteger("sessions"));
            total += row.getInteger("sessions");
          }
          JsonObject body = new JsonObject()
              .put("configuredSize", configuredSize)
              .put("pools", clientPools())
              .put("sessions", new JsonObject()
                  .put("applicationName", applicationName)
                  .put("total", total)
                  .put("byState", byState));
          JsonArray answers = result.getValue();
          if (answers.isEmpty()) {
            body.put("pgbouncer", new JsonObject().put("configured", false)
                .put("reason", "db.pgbouncerAdminUrl is not set; SHOW POOLS is skipped"));
          } else {
            body.put("pgbouncer", answers.getJsonObject(0)).put("pgbouncers", answers);
          }
          ctx.json(body);
        })
        .onFailure(e -> ctx.fail(new ProblemException(503, "the database did not answer: " + e.getMessage())));
  }

  /** Each console's pools, or why it did not answer; never a failed future. */
  private Future<JsonArray> pgbouncerPools() {
    List<Future<JsonObject>> answers = pgbouncer.stream().map(console -> {
      JsonObject base = new JsonObject().put("configured", true).put("name", console.name());
      return console.showPools()
          .map(pools -> base.put("pools", new JsonArray(List.copyOf(pools))))
          .otherwise(e -> base.put("error", "PgBouncer's admin console did not answer: " + e.getMessage()));
    }).toList();
    return Future.all(answers).map(v -> new JsonArray(answers.stream().map(Future::result).toList()));
  }

  /** SQL pools as Vert.x's metrics see them; empty when metrics are not enabled. */
  private JsonArray clientPools() {
    Map<String, JsonObject> pools = new TreeMap<>();
    for (Meter meter : meters.getMeters()) {
      Meter.Id id = meter.getId();
      if (!"sql".equals(id.getTag("pool_type"))) {
        continue;
      }
      String name = id.getTag("pool_name");
      JsonObject entry = pools.computeIfAbsent(name, n -> new JsonObject().put("name", n));
      if (id.getName().endsWith("pool.in.use")) {
        entry.put("inUse", (long) value(meter));
      } else if (id.getName().endsWith("pool.queue.pending")) {
        entry.put("waiting", (long) value(meter));
      } else if (id.getName().endsWith("pool.usage")) {
        // a distribution summary: its count is the number of connections handed out so far
        entry.put("acquired", (long) value(meter));
      }
    }
    return new JsonArray(pools.values().stream().toList());
  }

  private static double value(Meter meter) {
    for (Measurement m : meter.measure()) {
      return m.getValue();
    }
    return 0;
  }
}
