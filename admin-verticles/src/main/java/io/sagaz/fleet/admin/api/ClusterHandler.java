package io.sagaz.fleet.admin.api;

import io.sagaz.fleet.admin.http.ProblemException;
import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.node.ClusterView;
import io.sagaz.fleet.client.node.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/cluster}: this node, the members with their roles, and the maintenance leader
 * with its epoch. Members come from the local cluster view; the leader is asked over the event bus
 * with a short timeout, and is null when nobody answers (no maintenance node, or an election under way).
 */
public final class ClusterHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ClusterHandler.class);
  private final Vertx vertx;
  private final ClusterView cluster;
  private final DeliveryOptions leaderQuery;

  public ClusterHandler(Vertx vertx, ClusterView cluster, Duration leaderTimeout) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.leaderQuery = new DeliveryOptions().setSendTimeout(leaderTimeout.toMillis());
  }

  @Override
  public void handle(RoutingContext ctx) {
    Future<JsonObject> leader = maintenanceLeader();
    cluster.members()
        .compose(members -> leader.map(l -> new JsonObject()
            .put("self", cluster.self().toJson())
            .put("members", new JsonArray(members.stream().map(NodeInfo::toJson).toList()))
            .put("maintenanceLeader", l)))
        .onSuccess(json -> ctx.json(json))
        .onFailure(e -> ctx.fail(new ProblemException(503, "cluster membership is unavailable: " + e.getMessage())));
  }

  private Future<JsonObject> maintenanceLeader() {
    return vertx.eventBus()
        .request(Addresses.MAINTENANCE_LEADER, new JsonObject().put("version", Forward.MESSAGE_VERSION), leaderQuery)
        .map(reply -> reply.body() instanceof JsonObject body ? body : null)
        .otherwise(e -> {
          log.debug("no maintenance leader answered: {}", e.getMessage());
          return null;
        });
  }
}
