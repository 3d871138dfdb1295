package io.sagaz.fleet.app.node;

import io.sagaz.fleet.client.node.ClusterView;
import io.sagaz.fleet.client.node.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as modules see it: the members Hazelcast reports alive right now, joined with the
 * {@link NodeInfo} each node put into a cluster-wide map at start. Entries of members that died
 * without removing theirs (SIGKILL) are filtered out and swept by the next node that registers.
 * Members that never registered (e.g. services embedding the client library) are not listed.
 */
public final class HazelcastClusterView implements ClusterView {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HazelcastClusterView.class);
  /** The cluster-wide map: Hazelcast member id -> {@link NodeInfo#toJson()}. */
  public static final String NODES_MAP = "sagaz.nodes";

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final NodeInfo announced;
  private long refreshTimer = -1;

  /** @param self this node; its {@code clusterNodeId} is kept in step with the cluster manager's */
  public HazelcastClusterView(Vertx vertx, HazelcastClusterManager manager, NodeInfo self) {
    this.vertx = vertx;
    this.manager = manager;
    this.announced = self;
  }

  /**
   * This node, with the member id Hazelcast knows it by now: a member that was cut off (paused,
   * partitioned) and merged back may come back under a new id.
   */
  @Override
  public NodeInfo self() {
    String id = manager.getNodeId();
    return id == null || id.equals(announced.clusterNodeId()) ? announced
        : new NodeInfo(announced.nodeId(), id, announced.roles(), announced.adminUrl(), announced.startedAt());
  }

  @Override
  public Future<List<NodeInfo>> members() {
    return map().compose(AsyncMap::entries).map(entries -> {
      Set<String> alive = alive();
      return entries.entrySet().stream()
          .filter(e -> alive.contains(e.getKey()))
          .map(e -> NodeInfo.fromJson(e.getValue()))
          .sorted(Comparator.comparing(NodeInfo::startedAt).thenComparing(NodeInfo::nodeId))
          .toList();
    });
  }

  /** Announces this node to the cluster and sweeps entries of members that are gone. */
  public Future<Void> register() {
    NodeInfo self = self();
    return map().compose(m -> m.put(self.clusterNodeId(), self.toJson())
        .compose(v -> m.entries())
        .compose(entries -> sweep(m, entries)));
  }

  /**
   * Re-announces this node every {@code periodMillis}: after a split-brain merge the entry may be gone
   * (swept by a member that saw this one dead) or filed under an old member id.
   */
  public void keepRegistered(long periodMillis) {
    refreshTimer = vertx.setPeriodic(periodMillis, id -> register()
        .onFailure(e -> log.debug("could not refresh this node's cluster entry: {}", e.getMessage())));
  }

  /** Removes this node's entry; called first on shutdown so nobody routes to a leaving node. */
  public Future<Void> unregister() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    return map().compose(m -> m.remove(self().clusterNodeId())).mapEmpty();
  }

  private Future<Void> sweep(AsyncMap<String, JsonObject> map, Map<String, JsonObject> entries) {
    Set<String> alive = alive();
    List<Future<JsonObject>> removals = entries.keySet().stream()
        .filter(id -> !alive.contains(id))
        .map(map::remove)
        .toList();
    return Future.join(removals).mapEmpty();
  }

  private Set<String> alive() {
    return new HashSet<>(manager.getNodes());
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(NODES_MAP);
  }
}
