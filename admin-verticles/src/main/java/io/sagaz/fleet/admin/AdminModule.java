package io.sagaz.fleet.admin;

import io.sagaz.fleet.admin.db.DbMetrics;
import io.sagaz.fleet.admin.db.DbMetricsVerticle;
import io.sagaz.fleet.client.node.FleetModule;
import io.sagaz.fleet.client.node.NodeServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Deploys the admin HTTP API, web console and metrics endpoint ({@link AdminVerticle}), and the
 * database gauges (replication lag, PgBouncer pools) refreshed by {@link DbMetricsVerticle}.
 *
 * <p>With {@code admin.port: 0} the server binds any free port: once {@link #deploy} succeeded,
 * {@link #port()} and {@link #url()} say where it listens, so the app can print them and announce
 * them in its {@code NodeInfo.adminUrl}.
 */
public final class AdminModule implements FleetModule {
  private final AdminTimeouts timeouts;
  private volatile AdminVerticle verticle;
  private volatile String host;

  public AdminModule() {
    this(AdminTimeouts.DEFAULTS);
  }

  public AdminModule(AdminTimeouts timeouts) {
    this.timeouts = timeouts;
  }

  @Override
  public Future<Void> deploy(Vertx vertx, NodeServices services) {
    AdminVerticle v = new AdminVerticle(services, timeouts);
    verticle = v;
    host = services.config().admin().host();
    DbMetrics dbMetrics = new DbMetrics(services.meters());
    return vertx.deployVerticle(v)
        .compose(id -> vertx.deployVerticle(new DbMetricsVerticle(services.pool(), services.config().db(), dbMetrics,
            DbMetricsVerticle.DEFAULT_INTERVAL)))
        .mapEmpty();
  }

  /** The bound port after {@link #deploy} succeeded; -1 before. */
  public int port() {
    AdminVerticle v = verticle;
    return v == null ? -1 : v.port();
  }

  /**
   * {@code http://host:port} after {@link #deploy} succeeded, with a wildcard bind address
   * (0.0.0.0, ::) shown as 127.0.0.1 so the URL can be opened on this machine; null before.
   */
  public String url() {
    int p = port();
    if (p < 0) {
      return null;
    }
    String h = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
    return "http://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + p;
  }
}
