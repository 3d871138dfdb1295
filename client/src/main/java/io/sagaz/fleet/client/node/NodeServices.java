package io.sagaz.fleet.client.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.sagaz.fleet.core.config.SagazConfig;
import io.vertx.sqlclient.Pool;

/**
 * What the app hands every module's {@code deploy(vertx, services)}: the typed configuration, the
 * process's one database pool, the metrics registry, and the cluster view. Verticles get what they
 * need from here through their constructors and never read files or the environment themselves.
 *
 * @param config     the validated configuration
 * @param pool       the one PostgreSQL pool of this process
 * @param meters     where modules register their metrics (scraped at {@code /metrics})
 * @param cluster    members and roles
 * @param adminToken the bearer token {@code /api/v1/*} requires (configured or generated)
 */
public record NodeServices(SagazConfig config, Pool pool, MeterRegistry meters, ClusterView cluster, String adminToken) {}
