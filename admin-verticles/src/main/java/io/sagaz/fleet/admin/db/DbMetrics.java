package io.sagaz.fleet.admin.db;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sagaz.fleet.core.config.DbConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seed's database gauges: {@code sagaz_pgbouncer_active_connections{pool,database}} (server
 * connections in use, {@code sv_active}), {@code sagaz_pgbouncer_waiting_connections{pool,database}}
 * (clients waiting for one, {@code cl_waiting}) and {@code sagaz_postgres_replication_lag_seconds{replica}}.
 * Values are set from the last refresh; a scrape never touches the database.
 */
public final class DbMetrics {
  private final MultiGauge active;
  private final MultiGauge waiting;
  private final MultiGauge replicationLag;
  /** Each console's last rows by its pool label: a MultiGauge is registered whole, one refresh per console. */
  private final Map<String, Map<String, long[]>> byPool = new TreeMap<>();

  public DbMetrics(MeterRegistry registry) {
    active = MultiGauge.builder("sagaz.pgbouncer.active.connections")
        .description("PgBouncer server connections in use (SHOW POOLS sv_active), summed over users")
        .register(registry);
    waiting = MultiGauge.builder("sagaz.pgbouncer.waiting.connections")
        .description("PgBouncer clients waiting for a server connection (SHOW POOLS cl_waiting), summed over users")
        .register(registry);
    replicationLag = MultiGauge.builder("sagaz.postgres.replication.lag")
        .baseUnit("seconds")
        .description("Replay lag of each standby as the primary sees it (pg_stat_replication.replay_lag)")
        .register(registry);
  }

  /**
   * Replaces the PgBouncer gauges of {@code poolName} with {@code pools} (SHOW POOLS rows); an empty list
   * removes them. Other consoles' series stay.
   */
  public synchronized void pgbouncer(String poolName, List<JsonObject> pools) {
    Map<String, long[]> byDatabase = new TreeMap<>();
    for (JsonObject p : pools) {
      if (DbConfig.PGBOUNCER_CONSOLE_DB.equals(p.getString("database"))) {
        continue; // the admin console's own pseudo-pool: never a server connection, only our monitor
      }
      long[] sums = byDatabase.computeIfAbsent(p.getString("database"), d -> new long[2]);
      sums[0] += number(p, "sv_active");
      sums[1] += number(p, "cl_waiting");
    }
    byPool.put(poolName, byDatabase);
    active.register(rows(0), true);
    waiting.register(rows(1), true);
  }

  private List<MultiGauge.Row<?>> rows(int column) {
    return byPool.entrySet().stream().flatMap(pool -> pool.getValue().entrySet().stream()
            .map(db -> MultiGauge.Row.of(Tags.of("pool", pool.getKey(), "database", db.getKey()), db.getValue()[column])))
        .<MultiGauge.Row<?>>map(r -> r).toList();
  }

  /** Replaces the replication gauges: replica label -> lag in seconds; an empty map removes them. */
  public void replication(Map<String, Double> lagByReplica) {
    replicationLag.register(lagByReplica.entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("replica", e.getKey()), e.getValue())).toList(), true);
  }

  private static long number(JsonObject row, String column) {
    Object v = row.getValue(column);
    return v instanceof Number n ? n.longValue() : v == null ? 0 : Long.parseLong(v.toString());
  }
}
