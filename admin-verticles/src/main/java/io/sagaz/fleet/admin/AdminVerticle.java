package io.sagaz.fleet.admin;

import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.core.config.AdminConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the admin HTTP API on {@code admin.host}:{@code admin.port}. Port 0 binds any free port;
 * {@link #port()} tells which one once the deployment completed.
 */
public final class AdminVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AdminVerticle.class);
  private final NodeServices services;
  private final AdminTimeouts timeouts;
  private volatile int port = -1;

  /**
   * HTTP/1.1 only: no cleartext upgrade to HTTP/2 (h2c). Clients that prefer HTTP/2, like the JDK's
   * HttpClient, ask for the upgrade on every new connection; over the upgraded connection a large
   * /metrics answer twice stalled in CI with the event loop idle. Operators' tools, Prometheus and the
   * console speak HTTP/1.1 anyway.
   */
  private static final HttpServerOptions SERVER_OPTIONS = new HttpServerOptions().setHttp2ClearTextEnabled(false);

  public AdminVerticle(NodeServices services, AdminTimeouts timeouts) {
    this.services = services;
    this.timeouts = timeouts;
  }

  @Override
  public Future<?> start() {
    AdminConfig admin = services.config().admin();
    return AdminApiSpec.load(vertx)
        .map(spec -> AdminRouter.create(vertx, services, timeouts, spec))
        .compose(router -> vertx.createHttpServer(SERVER_OPTIONS).requestHandler(router).listen(admin.port(), admin.host()))
        .onSuccess(this::bound);
  }

  private void bound(HttpServer server) {
    port = server.actualPort();
    log.info("admin API listening on http://{}:{} (API {}, console /console/, metrics /metrics)",
        services.config().admin().host(), port, AdminRouter.API);
  }

  /** The port the server bound, or -1 before it did. */
  public int port() {
    return port;
  }
}
