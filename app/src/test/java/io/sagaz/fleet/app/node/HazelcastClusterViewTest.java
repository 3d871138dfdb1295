package io.sagaz.fleet.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.client.node.NodeInfo;
import io.sagaz.fleet.core.config.ClusterConfig;
import io.sagaz.fleet.testkit.FreePorts;
import io.sagaz.fleet.testkit.NodeProcess;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three clustered Vert.x instances in one JVM, built like a node builds its own (real Hazelcast). */
class HazelcastClusterViewTest {
  private final List<Vertx> instances = new ArrayList<>();

  @AfterEach
  void closeAll() {
    instances.forEach(v -> {
      try {
        v.close().await();
      } catch (Exception ignored) {
        // a terminated member's Vert.x may fail to close cleanly
      }
    });
  }

  @Test
  void everyMemberListsAllNodesWithRolesAndDropsOneThatDies() throws Exception {
    ClusterConfig cluster = new ClusterConfig(null, NodeProcess.uniqueClusterName("view"), "127.0.0.1",
        FreePorts.range(20), Duration.ofSeconds(3));
    List<HazelcastClusterView> views = new ArrayList<>();
    List<HazelcastClusterManager> managers = new ArrayList<>();
    String[][] roles = {{"saga", "admin"}, {"outbox"}, {"maintenance", "admin"}};
    for (int i = 0; i < 3; i++) {
      HazelcastClusterManager manager = ClusterFactory.create(cluster);
      VertxOptions options = new VertxOptions();
      options.getEventBusOptions().setHost("127.0.0.1");
      Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered().await();
      instances.add(vertx);
      managers.add(manager);
      NodeInfo self = new NodeInfo("n" + i, manager.getNodeId(), List.of(roles[i]), "http://127.0.0.1:" + (9000 + i), Instant.now());
      HazelcastClusterView view = new HazelcastClusterView(vertx, manager, self);
      view.register().await();
      views.add(view);
    }

    for (HazelcastClusterView view : views) {
      List<NodeInfo> members = view.members().await();
      assertThat(members).extracting(NodeInfo::nodeId).containsExactlyInAnyOrder("n0", "n1", "n2");
      assertThat(members).filteredOn(m -> m.nodeId().equals("n1")).singleElement()
          .satisfies(m -> assertThat(m.roles()).containsExactly("outbox"));
    }

    // An abrupt end, like SIGKILL: the member leaves no goodbye and its entry stays in the map.
    managers.get(1).getHazelcastInstance().getLifecycleService().terminate();
    boolean dropped = NodeProcess.eventually(Duration.ofSeconds(15), () ->
        List.of(views.get(0), views.get(2)).stream().allMatch(v ->
            v.members().await().stream().map(NodeInfo::nodeId).toList().equals(List.of("n0", "n2"))));
    assertThat(dropped).as("survivors list only n0 and n2 within 15 s").isTrue();
  }

  @Test
  void aStoppingNodeRemovesItsOwnEntry() throws Exception {
    ClusterConfig cluster = new ClusterConfig(null, NodeProcess.uniqueClusterName("view"), "127.0.0.1",
        FreePorts.range(20), Duration.ofSeconds(3));
    List<HazelcastClusterView> views = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      HazelcastClusterManager manager = ClusterFactory.create(cluster);
      Vertx vertx = Vertx.builder().withClusterManager(manager).buildClustered().await();
      instances.add(vertx);
      HazelcastClusterView view = new HazelcastClusterView(vertx, manager,
          new NodeInfo("m" + i, manager.getNodeId(), List.of("saga"), null, Instant.now()));
      view.register().await();
      views.add(view);
    }
    views.get(1).unregister().await();
    assertThat(views.get(0).members().await()).extracting(NodeInfo::nodeId).containsExactly("m0");
    assertThat(views.get(1).members().await()).extracting(NodeInfo::nodeId).containsExactly("m0");
  }
}
