package io.sagaz.fleet.admin.health;

import io.sagaz.fleet.admin.sql.SchemaHistorySql;
import io.sagaz.fleet.client.node.ClusterView;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

/**
 * The checks behind {@code /health/ready}: the database answers, Flyway's migrations are applied with
 * none failed, and this node has joined the cluster. Each check is named, so a 503 body says which one
 * failed and why.
 */
public final class ReadinessChecks {
  private static final long TIMEOUT_MS = 3_000;

  private ReadinessChecks() {}

  public static HealthChecks create(Vertx vertx, Pool pool, ClusterView cluster) {
    return HealthChecks.create(vertx)
        .register("database", TIMEOUT_MS, p -> complete(p, database(pool)))
        .register("migrations", TIMEOUT_MS, p -> complete(p, migrations(pool)))
        .register("cluster", TIMEOUT_MS, p -> complete(p, cluster(vertx, cluster)));
  }

  private static Future<Status> database(Pool pool) {
    return pool.query("SELECT 1").execute().map(rs -> Status.OK());
  }

  private static Future<Status> migrations(Pool pool) {
    return pool.query(SchemaHistorySql.PRESENT).execute().compose(present -> {
      if (!present.iterator().next().getBoolean("present")) {
        return Future.succeededFuture(down("flyway_schema_history does not exist: migrations never ran"));
      }
      return pool.query(SchemaHistorySql.SUMMARY).execute().map(rs -> {
        Row row = rs.iterator().next();
        int failed = row.getInteger("failed");
        JsonObject data = new JsonObject()
            .put("applied", row.getInteger("applied"))
            .put("version", row.getString("version"));
        return failed > 0
            ? Status.KO(data.put("failed", failed).put("reason", failed + " migration(s) failed; run 'sagaz migrate' after fixing them"))
            : Status.OK(data);
      });
    });
  }

  private static Future<Status> cluster(Vertx vertx, ClusterView cluster) {
    if (!vertx.isClustered()) {
      return Future.succeededFuture(down("Vert.x is not clustered"));
    }
    String self = cluster.self().clusterNodeId();
    return cluster.members().map(members -> members.stream().anyMatch(m -> self.equals(m.clusterNodeId()))
        ? Status.OK(new JsonObject().put("members", members.size()))
        : down("this node (" + self + ") is not among the " + members.size() + " cluster members"));
  }

  private static Status down(String reason) {
    return Status.KO(new JsonObject().put("reason", reason));
  }

  // A failed check future means the dependency itself failed (e.g. connection refused): report it as
  // DOWN with its reason rather than as a crashed procedure.
  private static void complete(Promise<Status> promise, Future<Status> check) {
    check.onComplete(ar -> promise.complete(ar.succeeded()
        ? ar.result()
        : down(String.valueOf(ar.cause().getMessage()))));
  }
}
