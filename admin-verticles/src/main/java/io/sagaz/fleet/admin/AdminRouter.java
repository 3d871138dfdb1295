package io.sagaz.fleet.admin;

import io.sagaz.fleet.admin.api.ClusterHandler;
import io.sagaz.fleet.admin.api.Forward;
import io.sagaz.fleet.admin.api.ForwardHandler;
import io.sagaz.fleet.admin.api.ForwardedOperations;
import io.sagaz.fleet.admin.api.PoolHandler;
import io.sagaz.fleet.admin.api.ReplicationHandler;
import io.sagaz.fleet.admin.db.PgBouncerConsole;
import io.sagaz.fleet.admin.health.ReadinessChecks;
import io.sagaz.fleet.admin.http.BearerAuthHandler;
import io.sagaz.fleet.admin.http.MetricsHandler;
import io.sagaz.fleet.admin.http.ProblemHandler;
import io.sagaz.fleet.client.node.NodeServices;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.HashMap;
import java.util.Map;

/**
 * The admin HTTP surface (design.md section 5). Open: health, metrics, the console and the OpenAPI
 * document. Everything else under {@code /api/v1} passes bearer auth, then validation against the
 * OpenAPI document, then its handler: a local one for what this node answers itself, a
 * {@link ForwardHandler} for everything in {@link ForwardedOperations}. One failure handler renders
 * every error as a problem body.
 */
final class AdminRouter {
  static final String API = "/api/v1";
  private static final int BODY_LIMIT = 256 * 1024;

  private AdminRouter() {}

  static Router create(Vertx vertx, NodeServices services, AdminTimeouts timeouts, AdminApiSpec spec) {
    ProblemHandler problems = new ProblemHandler(BODY_LIMIT);
    Router router = Router.router(vertx);

    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready*").handler(HealthCheckHandler.createWithHealthChecks(
        ReadinessChecks.create(vertx, services.pool(), services.cluster())));
    router.get("/metrics").handler(MetricsHandler.create(services.meters()));
    router.get("/").handler(ctx -> ctx.redirect("/console/"));
    router.get("/console/*").handler(StaticHandler.create("webroot/console").setCachingEnabled(false));

    // Open on purpose, like /health: the document describes the API, it grants nothing, and tools
    // (and the console) need it before they hold a token.
    router.get(API + "/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .end(spec.raw()));

    router.route(API + "/*").handler(new BearerAuthHandler(services.adminToken()));
    router.route(API + "/*").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
    Router api = apiRouter(vertx, services, timeouts, spec.contract());
    api.route().failureHandler(problems);
    router.route(API + "/*").subRouter(api);

    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(problems);
    return router;
  }

  private static Router apiRouter(Vertx vertx, NodeServices services, AdminTimeouts timeouts, OpenAPIContract contract) {
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
    handlers.put("getCluster", new ClusterHandler(vertx, services.cluster(), timeouts.leaderQuery()));
    handlers.put("getPool", new PoolHandler(services.pool(), services.meters(), services.config().db().poolSize(),
        PgBouncerConsole.create(vertx, services.config().db())));
    handlers.put("getReplication", new ReplicationHandler(services.pool()));
    for (Forward f : ForwardedOperations.ALL) {
      Handler<RoutingContext> previous = handlers.put(f.operationId(),
          new ForwardHandler(vertx, f, f.leaderOnly() ? timeouts.leaderOnly() : timeouts.request()));
      if (previous != null) {
        throw new IllegalStateException("operation " + f.operationId() + " has two handlers");
      }
    }

    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      Handler<RoutingContext> handler = handlers.remove(operationId);
      if (handler == null) {
        throw new IllegalStateException("operation " + operationId + " of " + AdminApiSpec.PATH
            + " has no handler: add it to ForwardedOperations or serve it locally in AdminRouter");
      }
      // BearerAuthHandler already guarded /api/v1/* before validation; the builder's own security
      // support would need an auth provider for a single static token.
      route.setDoSecurity(false).addHandler(handler);
    }
    if (!handlers.isEmpty()) {
      throw new IllegalStateException("handlers for operations missing from " + AdminApiSpec.PATH + ": " + handlers.keySet());
    }
    return builder.createRouter();
  }
}
