package io.sagaz.fleet.admin.db;

import io.sagaz.fleet.admin.sql.PgStatSql;
import io.sagaz.fleet.core.config.DbConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes {@link DbMetrics} every {@code interval}: replication lag from the node's database
 * (pg_stat_replication on the primary) and, when configured, PgBouncer's {@code SHOW POOLS}. The
 * queries are asynchronous and scrapes only read the last values, so neither blocks the event loop
 * nor makes {@code /metrics} wait for a database. A source that fails has its gauges removed (no stale
 * values) and is logged once until it answers again.
 */
public final class DbMetricsVerticle extends VerticleBase {
  /** Prometheus' default scrape interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  private static final Logger log = LoggerFactory.getLogger(DbMetricsVerticle.class);

  private final Pool pool;
  private final DbMetrics metrics;
  private final DbConfig db;
  private final Duration interval;
  private final Map<String, Boolean> failing = new HashMap<>();
  private List<PgBouncerConsole> consoles = List.of();

  public DbMetricsVerticle(Pool pool, DbConfig db, DbMetrics metrics, Duration interval) {
    this.pool = pool;
    this.db = db;
    this.metrics = metrics;
    this.interval = interval;
  }

  @Override
  public Future<?> start() {
    consoles = PgBouncerConsole.create(vertx, db);
    vertx.setPeriodic(interval.toMillis(), id -> refresh());
    // The first values are there before the node reports itself started; a source that is down
    // must not stop the node.
    return refresh();
  }

  @Override
  public Future<?> stop() {
    return Future.join(consoles.stream().map(PgBouncerConsole::close).toList());
  }

  /** One refresh of every gauge; always succeeds (failures are logged and clear their gauges). */
  Future<Void> refresh() {
    Future<Void> replication = pool.query(PgStatSql.REPLICATION_LAG).execute()
        .map(rows -> {
          metrics.replication(lagByReplica(rows));
          return ok("replication");
        })
        .recover(e -> failed("replication", "pg_stat_replication", e, () -> metrics.replication(Map.of())));
    List<Future<Void>> all = new ArrayList<>();
    all.add(replication);
    for (PgBouncerConsole c : consoles) {
      String source = "pgbouncer " + c.name();
      all.add(c.showPools()
          .map(pools -> {
            metrics.pgbouncer(c.name(), pools);
            return ok(source);
          })
          .recover(e -> failed(source, "SHOW POOLS on " + c.name(), e, () -> metrics.pgbouncer(c.name(), List.of()))));
    }
    return Future.join(all).mapEmpty();
  }

  /**
   * The {@code replica} label of each standby: its application_name (primary_conninfo's
   * {@code application_name}, or the cluster_name), or its address when that is empty or shared.
   */
  static Map<String, Double> lagByReplica(RowSet<Row> rows) {
    Map<String, Integer> names = new HashMap<>();
    rows.forEach(r -> names.merge(nameOf(r), 1, Integer::sum));
    Map<String, Double> lag = new LinkedHashMap<>();
    for (Row r : rows) {
      String name = nameOf(r);
      String label = name.isEmpty() || names.get(name) > 1 ? address(r) : name;
      lag.put(label, r.getDouble("lagSeconds"));
    }
    return lag;
  }

  private static String nameOf(Row r) {
    String n = r.getString("applicationName");
    return n == null ? "" : n;
  }

  private static String address(Row r) {
    String addr = r.getString("clientAddr");
    Integer port = r.getInteger("clientPort");
    return (addr == null ? "local" : addr) + (port == null || port < 0 ? "" : ":" + port);
  }

  private Void ok(String source) {
    if (Boolean.TRUE.equals(failing.put(source, false))) {
      log.info("{} metrics are back", source);
    }
    return null;
  }

  private Future<Void> failed(String source, String what, Throwable e, Runnable clear) {
    clear.run();
    if (!Boolean.TRUE.equals(failing.put(source, true))) {
      log.warn("cannot read {} for the {} metrics (retrying every {} ms): {}", what, source, interval.toMillis(), e.getMessage());
    }
    return Future.succeededFuture();
  }
}
