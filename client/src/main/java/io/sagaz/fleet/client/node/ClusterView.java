package io.sagaz.fleet.client.node;

import io.vertx.core.Future;
import java.util.List;

/**
 * What a verticle may know about the cluster it runs in, without depending on Hazelcast.
 * The app implements it over the cluster manager and a cluster-wide map of {@link NodeInfo}.
 */
public interface ClusterView {
  /** This node's info. */
  NodeInfo self();

  /** The members alive right now, with the roles each one announced. */
  Future<List<NodeInfo>> members();
}
