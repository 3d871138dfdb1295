package io.sagaz.fleet.admin.api;

import io.sagaz.fleet.admin.http.ProblemException;
import io.sagaz.fleet.admin.sql.PgStatSql;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

/**
 * {@code GET /api/v1/replication}: the standbys streaming from the database this node writes to
 * (pg_stat_replication), and whether that database is a primary. No standby gives an empty list.
 */
public final class ReplicationHandler implements Handler<RoutingContext> {
  private final Pool pool;

  public ReplicationHandler(Pool pool) {
    this.pool = pool;
  }

  @Override
  public void handle(RoutingContext ctx) {
    pool.query(PgStatSql.IN_RECOVERY).execute()
        .compose(recovery -> pool.query(PgStatSql.REPLICAS).execute().map(rows -> {
          JsonArray replicas = new JsonArray();
          for (Row row : rows) {
            replicas.add(row.toJson());
          }
          return new JsonObject()
              .put("primary", !recovery.iterator().next().getBoolean("inRecovery"))
              .put("replicas", replicas);
        }))
        .onSuccess(ctx::json)
        .onFailure(e -> ctx.fail(new ProblemException(503, "the database did not answer: " + e.getMessage())));
  }
}
