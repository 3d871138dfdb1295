package io.sagaz.fleet.client.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.sagaz.fleet.core.config.SagazConfig;
import io.vertx.sqlclient.Pool;

/**
 * What the app hands every module's {@code deploy(vertx, services)}: the typed configuration, the
 * process's database pools, the metrics registry, and the cluster view. Verticles get what they
 * need from here through their constructors and never read files or the environment themselves.
 *
 * @param config     the validated configuration
 * @param pool           the PostgreSQL pool of this process for everything that writes or must read
 *                       its own writes
 * @param analyticsPool  for heavy admin reads that may lag a little ({@code db.analyticsUrl}: a read
 *                       replica, pgbouncer-ro): saga lists, outbox counts per status, dead-letter lists;
 *                       {@code pool} itself when no analytics URL is set
 * @param meters     where modules register their metrics (scraped at {@code /metrics})
 * @param cluster    members and roles
 * @param adminToken the bearer token {@code /api/v1/*} requires (configured or generated)
 */
public record NodeServices(SagazConfig config, Pool pool, Pool analyticsPool, MeterRegistry meters, ClusterView cluster,
    String adminToken) {

  /** Without an analytics pool: the heavy reads go to {@code pool} too. */
  public NodeServices(SagazConfig config, Pool pool, MeterRegistry meters, ClusterView cluster, String adminToken) {
    this(config, pool, pool, meters, cluster, adminToken);
  }
}
