package io.sagaz.fleet.app.it.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.NodeCluster;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three node processes with the maintenance role compete for the maintenance lease on one real
 * PostgreSQL: exactly one leads; {@code kill -9} of the leader gives a new leader with a higher epoch
 * within 15 s; a leader frozen with SIGSTOP past its lease and then resumed cannot run maintenance.
 * Throughout, the run log shows monotonic epochs and no overlapping runs.
 */
class MaintenanceLeaderIT {
  private TestDatabase db;
  private NodeCluster cluster;

  @BeforeEach
  void database() {
    db = PostgresFixture.shared().createMigratedDatabase();
  }

  /** Three maintenance+admin nodes; {@code lease} null keeps the default lease (10s). */
  private void startCluster(String lease) {
    cluster = NodeCluster.start(3, (i, node) -> {
      node.dbUrl(db.url()).roles("maintenance", "admin").env("SAGAZ_MAINTENANCE_INTERVAL", "2s");
      if (lease != null) {
        node.env("SAGAZ_MAINTENANCE_LEASE_TIMEOUT", lease);
      }
    });
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    PostgresFixture.shared().drop(db);
  }

  @Test
  void exactlyOneLeaderAndAfterKill9ANewOneWithAHigherEpochWithin15Seconds() {
    startCluster(null); // the 15 s bound is for the default lease
    NodeProcess leader = awaitAgreedLeader(cluster.nodes());
    long epoch = RunLog.lease(db).epoch();
    // Every node's maintain request reaches the same one node: only the leader consumes it.
    for (NodeProcess node : cluster.nodes()) {
      JsonObject run = maintain(node);
      assertThat(run.getString("holder")).as("run requested via %s", node.name()).isEqualTo(leader.name());
      assertThat(run.getLong("epoch")).isEqualTo(epoch);
    }
    assertThat(cluster.nodes().stream().filter(n -> n.log().contains("maintenance leadership gained")).count())
        .as("nodes that ever led").isEqualTo(1);

    long t0 = System.nanoTime();
    leader.kill9();
    boolean replaced = NodeProcess.eventually(Duration.ofSeconds(15), () -> {
      RunLog.Lease l = RunLog.lease(db);
      return l.live() && !leader.name().equals(l.holder()) && l.epoch() > epoch;
    });
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(replaced).as("a new leader within 15 s (lease now %s)", RunLog.lease(db)).isTrue();
    System.out.printf("kill -9 of the leader: a new leader after %d ms%n", tookMs);

    List<NodeProcess> survivors = cluster.nodes().stream().filter(NodeProcess::isAlive).toList();
    NodeProcess successor = awaitAgreedLeader(survivors);
    assertThat(successor.name()).isNotEqualTo(leader.name());
    assertThat(maintain(survivors.get(0)).getString("holder")).isEqualTo(successor.name());
    RunLog.assertMonotonicAndNeverOverlapping(db);
  }

  @Test
  void leaderFrozenPastItsLeaseCannotRunMaintenanceWhenItResumes() {
    startCluster("6s"); // a shorter lease keeps the freeze short
    NodeProcess leader = awaitAgreedLeader(cluster.nodes());
    long epoch = RunLog.lease(db).epoch();
    // Freeze the leader while it is (likely) in the middle of a run it was asked for.
    CompletableFuture<HttpResponse<String>> inFlight =
        CompletableFuture.supplyAsync(() -> leader.send("POST", "/api/v1/partitions/maintain", null, leader.token()));
    sleepQuietly(150); // positioning only: give the request time to reach the leader's run
    leader.pause();
    try {
      boolean taken = NodeProcess.eventually(Duration.ofSeconds(20), () -> {
        RunLog.Lease l = RunLog.lease(db);
        return l.live() && !leader.name().equals(l.holder()) && l.epoch() > epoch;
      });
      assertThat(taken).as("another node took the lease while the leader was frozen: %s", RunLog.lease(db)).isTrue();
      // Let the successor run maintenance (its interval is 2 s) before the old leader wakes up.
      long successorEpoch = RunLog.lease(db).epoch();
      assertThat(NodeProcess.eventually(Duration.ofSeconds(20), () -> RunLog.runs(db).stream()
          .anyMatch(r -> r.epoch() == successorEpoch && r.status().equals("succeeded")))).isTrue();
    } finally {
      leader.resume();
    }

    // Waking up, the old leader's renewal fails and it steps down; its late work is fenced, never committed.
    assertThat(NodeProcess.eventually(Duration.ofSeconds(20),
        () -> leader.log().contains("maintenance leadership lost: node=" + leader.name() + " epoch=" + epoch)))
        .as("old leader steps down; log tail:\n%s", leader.logTail(30)).isTrue();
    // A maintain request after it woke up reaches the new leader, never the old one. (It goes through a
    // node that stayed in the cluster: Hazelcast expelled the frozen member, which stays outside until
    // a split-brain merge, so its own event bus does not see the new leader's consumer.)
    NodeProcess successor = awaitAgreedLeader(cluster.nodes());
    assertThat(successor.name()).isNotEqualTo(leader.name());
    NodeProcess other = cluster.nodes().stream().filter(n -> n != leader && n != successor).findFirst().orElseThrow();
    assertThat(maintain(other).getString("holder")).isEqualTo(successor.name());
    assertThat(RunLog.runs(db).stream().filter(r -> r.holder().equals(leader.name()) && r.status().equals("succeeded")))
        .allSatisfy(r -> assertThat(r.epoch()).isEqualTo(epoch));
    // the request sent just before the freeze was answered or timed out; either way it is over
    inFlight.exceptionally(e -> null).join();
    RunLog.assertMonotonicAndNeverOverlapping(db);
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until every node's {@code GET /api/v1/cluster} names the same live leader; returns it. */
  private NodeProcess awaitAgreedLeader(List<NodeProcess> nodes) {
    String[] agreed = new String[1];
    boolean ok = NodeProcess.eventually(Duration.ofSeconds(30), () -> {
      List<String> seen = nodes.stream().map(MaintenanceLeaderIT::leaderSeenBy).toList();
      agreed[0] = seen.get(0);
      return agreed[0] != null && seen.stream().allMatch(s -> Objects.equals(s, agreed[0]));
    });
    assertThat(ok).as("all nodes agree on one leader: %s", nodes.stream().map(MaintenanceLeaderIT::leaderSeenBy).toList()).isTrue();
    return nodes.stream().filter(n -> n.name().equals(agreed[0])).findFirst().orElseThrow();
  }

  private static String leaderSeenBy(NodeProcess node) {
    HttpResponse<String> r = node.get("/api/v1/cluster");
    if (r.statusCode() != 200) {
      return null;
    }
    JsonObject leader = new JsonObject(r.body()).getJsonObject("maintenanceLeader");
    return leader == null ? null : leader.getString("leader");
  }

  private static JsonObject maintain(NodeProcess node) {
    HttpResponse<String> r = node.send("POST", "/api/v1/partitions/maintain", null, node.token());
    assertThat(r.statusCode()).as("POST maintain via %s: %s", node.name(), r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }
}
