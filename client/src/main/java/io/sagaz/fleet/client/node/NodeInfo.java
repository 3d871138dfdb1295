package io.sagaz.fleet.client.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One node as the cluster sees it.
 *
 * @param nodeId        the configured node id ({@code node.id})
 * @param clusterNodeId the cluster manager's id for the member
 * @param roles         role ids ({@code saga}, {@code outbox}, ...)
 * @param adminUrl      base URL of the node's admin API, or null without the admin role
 * @param startedAt     when the node started
 */
public record NodeInfo(String nodeId, String clusterNodeId, List<String> roles, String adminUrl, Instant startedAt) {
  public NodeInfo {
    roles = List.copyOf(roles);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("nodeId", nodeId)
        .put("clusterNodeId", clusterNodeId)
        .put("roles", new JsonArray(roles))
        .put("adminUrl", adminUrl)
        .put("startedAt", startedAt.toString());
  }

  public static NodeInfo fromJson(JsonObject json) {
    return new NodeInfo(
        json.getString("nodeId"),
        json.getString("clusterNodeId"),
        json.getJsonArray("roles", new JsonArray()).stream().map(String::valueOf).toList(),
        json.getString("adminUrl"),
        Instant.parse(json.getString("startedAt")));
  }
}
