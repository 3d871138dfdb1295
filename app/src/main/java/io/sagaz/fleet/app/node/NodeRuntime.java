package io.sagaz.fleet.app.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.sagaz.fleet.core.config.DbConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** How a node builds its Vert.x (metrics into the node's registry) and its one database pool. */
public final class NodeRuntime {
  /** Name of the SQL pool in the metrics ({@code vertx_pool_*{pool_name="sagaz"}}). */
  public static final String POOL_NAME = "sagaz";
  /** Name of the {@code db.analyticsUrl} pool in the pool metrics. */
  public static final String ANALYTICS_POOL_NAME = "sagaz-analytics";
  private static final int PREPARED_SQL_LIMIT = 16_384;

  private NodeRuntime() {}

  /**
   * A Vert.x builder whose metrics (Vert.x, JVM, pools) go to {@code meters}; metrics must be enabled
   * in the options or the registry stays empty.
   */
  public static VertxBuilder vertx(MeterRegistry meters, String eventBusHost) {
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    options.getEventBusOptions().setHost(eventBusHost);
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(meters));
  }

  /**
   * The process's one pool; named, so its metrics can be told apart. Behind PgBouncer in transaction
   * mode ({@code db.pgbouncer}) the client works as through a layer-7 proxy: every prepared statement
   * is parsed, bound and executed in one exchange, because PgBouncer may hand the next exchange to
   * another server connection (where the statement would not exist).
   */
  public static Pool pool(Vertx vertx, DbConfig db, String url) {
    return pool(vertx, db, url, "sagaz");
  }

  /**
   * How the node connects. Directly, each connection keeps its prepared statements (named, so
   * PostgreSQL parses each once and, after a few executions, reuses a generic plan): without the cache
   * every execution is parsed and planned anew, which for the engine's batched CTE statements over
   * partitioned tables costs more than executing them. The SQL limit is raised because those
   * statements are longer than the client's default of 2048 characters. Through PgBouncer in
   * transaction mode no statement may outlive its exchange, so nothing is cached.
   */
  public static PgConnectOptions connectOptions(DbConfig db, String url) {
    return connectOptions(url, db.pgbouncer());
  }

  /** {@link #connectOptions(DbConfig, String)} for a URL; {@code pgbouncer} as {@code db.pgbouncer}. */
  public static PgConnectOptions connectOptions(String url, boolean pgbouncer) {
    PgConnectOptions options = PgConnectOptions.fromUri(url).setUseLayer7Proxy(pgbouncer);
    if (!pgbouncer) {
      options.setCachePreparedStatements(true).setPreparedStatementCacheSqlLimit(PREPARED_SQL_LIMIT);
    }
    return options;
  }

  /**
   * The pool with its sessions named {@code applicationName} in {@code pg_stat_activity}: a distinct
   * name per node lets {@code GET /api/v1/pool} count this node's sessions, not the whole fleet's.
   */
  public static Pool pool(Vertx vertx, DbConfig db, String url, String applicationName) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(db.poolSize()).setName(POOL_NAME).setShared(true))
        .connectingTo(connectOptions(db, url).addProperty("application_name", applicationName))
        .using(vertx)
        .build();
  }

  /**
   * The pool of {@code db.analyticsUrl}, for heavy reads that may lag (a replica behind pgbouncer-ro).
   * Half the node pool's size: these are occasional operator queries. No prepared-statement cache
   * whatever {@code db.pgbouncer} says, which is about {@code db.url}: this URL usually goes through
   * PgBouncer in transaction mode, where a cached statement breaks, and a direct one only loses a parse.
   */
  public static Pool analyticsPool(Vertx vertx, DbConfig db, String url, String applicationName) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(Math.max(2, db.poolSize() / 2)).setName(ANALYTICS_POOL_NAME).setShared(true))
        .connectingTo(connectOptions(url, true).addProperty("application_name", applicationName))
        .using(vertx)
        .build();
  }
}
