package io.sagaz.fleet.admin.db;

import io.sagaz.fleet.core.config.DbConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One PgBouncer's admin console (an entry of {@code db.pgbouncerAdminUrl}), asked for {@code SHOW POOLS}.
 * The console only speaks the simple query protocol, which is what {@code SqlClient.query()} uses (never
 * {@code preparedQuery} here). One connection is enough: it is asked every few seconds at most.
 */
public final class PgBouncerConsole {
  static final String SHOW_POOLS = "SHOW POOLS";
  /**
   * Name of a console's client pool in the Vert.x pool metrics (beside the node's own pool), followed by
   * the console's pool label: one series per console.
   */
  public static final String CLIENT_POOL_NAME = "sagaz-pgbouncer-console";
  /** A console that does not answer within this is reported as down rather than awaited. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final Pool pool;

  private PgBouncerConsole(String name, Pool pool) {
    this.name = name;
    this.pool = pool;
  }

  /** The consoles of {@code db.pgbouncerAdminUrl}, in the order given; none when it is not set. */
  public static List<PgBouncerConsole> create(Vertx vertx, DbConfig db) {
    return db.pgbouncerConsoles().stream().map(url -> {
      // Only parameters every PgBouncer accepts at login: no extra_float_digits (often not in its
      // ignore_startup_parameters), nothing the console would refuse.
      PgConnectOptions options = PgConnectOptions.fromUri(url)
          .setProperties(Map.of("application_name", "sagaz-admin", "client_encoding", "UTF8"));
      String name = poolName(url);
      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setName(CLIENT_POOL_NAME + "-" + name))
          .connectingTo(options).using(vertx).build();
      return new PgBouncerConsole(name, pool);
    }).toList();
  }

  /**
   * The {@code pool} label of the PgBouncer behind {@code url}: its host with a {@code pgbouncer-}
   * prefix and any domain removed ({@code pgbouncer-rw.sagaz.svc} -> {@code rw}, as in the seed's
   * {@code pool="rw"}); other hosts keep {@code host:port}.
   */
  static String poolName(String url) {
    URI uri = URI.create(url);
    String host = uri.getHost();
    if (host.startsWith("pgbouncer-")) {
      String rest = host.substring("pgbouncer-".length());
      int dot = rest.indexOf('.');
      return dot < 0 ? rest : rest.substring(0, dot);
    }
    return host + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
  }

  public String name() {
    return name;
  }

  /** One JSON object per PgBouncer pool (database, user, cl_active, cl_waiting, sv_active, ...). */
  public Future<List<JsonObject>> showPools() {
    return pool.query(SHOW_POOLS).execute().timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).map(rows -> {
      List<JsonObject> pools = new ArrayList<>();
      for (Row row : rows) {
        pools.add(row.toJson());
      }
      return pools;
    });
  }

  public Future<Void> close() {
    return pool.close();
  }
}
