package io.sagaz.fleet.maintenance;

import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.await;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.config;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.execute;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.pool;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several maintenance verticles, each with its own node id and pool, competing on one Vert.x (one event
 * bus, one lock hint) and one real PostgreSQL database.
 */
class LeaderElectionTest {
  private static final Duration LEASE = Duration.ofSeconds(3);

  private Vertx vertx;
  private TestDatabase db;
  private final Map<String, MaintenanceVerticle> nodes = new LinkedHashMap<>();
  private final Map<String, String> deployments = new LinkedHashMap<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    db = PostgresFixture.shared().createMigratedDatabase();
  }

  @AfterEach
  void tearDown() {
    // undeploy first: a stopping leader releases its lease through its pool, which vertx.close() would close
    deployments.values().forEach(id -> vertx.undeploy(id).await());
    vertx.close().await();
    PostgresFixture.shared().drop(db);
  }

  private void deploy(String nodeId) {
    Pool pool = pool(vertx, db, 3);
    MaintenanceVerticle v = new MaintenanceVerticle(nodeId, config(LEASE), pool, new SimpleMeterRegistry());
    nodes.put(nodeId, v);
    deployments.put(nodeId, vertx.deployVerticle(v).await());
  }

  private List<String> believedLeaders() {
    return nodes.entrySet().stream().filter(e -> e.getValue().leadership().isPresent()).map(Map.Entry::getKey).toList();
  }

  private JsonObject ask(String address) throws Exception {
    return vertx.eventBus().<JsonObject>request(address, new JsonObject().put("version", 1))
        .await(10, TimeUnit.SECONDS).body();
  }

  @Test
  void exactlyOneOfThreeNodesLeadsAndTheLeaseRowNamesIt() throws Exception {
    deploy("node-a");
    deploy("node-b");
    deploy("node-c");
    await("a leader", Duration.ofSeconds(10), () -> believedLeaders().size() == 1);

    // Over more than two lease renewals, never more or fewer than one node believes it leads.
    long until = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
    while (System.nanoTime() < until) {
      assertThat(believedLeaders()).hasSize(1);
      Thread.sleep(50);
    }
    String leader = believedLeaders().get(0);
    JsonObject answer = ask(Addresses.MAINTENANCE_LEADER);
    assertThat(answer.getString("leader")).isEqualTo(leader);
    assertThat(answer.getLong("epoch")).isEqualTo(nodes.get(leader).leadership().orElseThrow().epoch());
    assertThat(answer.getString("since")).isNotBlank();
  }

  @Test
  void stoppingLeaderHandsOverAtOnceToANodeWithAHigherEpoch() throws Exception {
    deploy("node-a");
    deploy("node-b");
    await("a leader", Duration.ofSeconds(10), () -> believedLeaders().size() == 1);
    String first = believedLeaders().get(0);
    long firstEpoch = nodes.get(first).leadership().orElseThrow().epoch();

    long t0 = System.nanoTime();
    vertx.undeploy(deployments.remove(first)).await();
    nodes.remove(first);
    // Far less than the lease: the stopping leader ended its lease and told the others.
    await("a successor", LEASE.dividedBy(2), () -> believedLeaders().size() == 1);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    String second = believedLeaders().get(0);
    assertThat(second).isNotEqualTo(first);
    assertThat(nodes.get(second).leadership().orElseThrow().epoch()).isGreaterThan(firstEpoch);
    assertThat(ask(Addresses.MAINTENANCE_LEADER).getString("leader")).isEqualTo(second);
    assertThat(tookMs).isLessThan(LEASE.toMillis());
  }

  @Test
  void leaderWhoseLeaseIsTakenStepsDownAndStopsConsumingLeaderRequests() throws Exception {
    deploy("node-a");
    await("node-a leads", Duration.ofSeconds(10), () -> believedLeaders().equals(List.of("node-a")));
    // Another holder takes the lease behind node-a's back (as after a pause past its lease).
    execute(db, "UPDATE sagaz_leases SET holder = 'ghost', epoch = epoch + 1, expires_at = now() + interval '1 hour'"
        + " WHERE name = 'maintenance-leader'");

    await("node-a steps down", LEASE, () -> believedLeaders().isEmpty());
    Throwable noLeader = catchThrowable(() -> ask(Addresses.MAINTENANCE_RUN));
    assertThat(noLeader).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) noLeader).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    JsonObject answer = ask(Addresses.MAINTENANCE_LEADER);
    assertThat(answer.getString("leader")).isEqualTo("ghost");
  }

  @Test
  void crashedLeadersExpiredLeaseIsTakenOverWithoutItsHelp() throws Exception {
    // A leader that vanished without releasing: its lease row is live for one more second.
    execute(db, "INSERT INTO sagaz_leases (name, holder, epoch, acquired_at, renewed_at, expires_at)"
        + " VALUES ('maintenance-leader', 'crashed', 7, now(), now(), now() + interval '1 second')");
    deploy("node-a");
    await("node-a leads after the old lease expires", LEASE.multipliedBy(2), () -> believedLeaders().equals(List.of("node-a")));
    assertThat(nodes.get("node-a").leadership().orElseThrow().epoch()).isEqualTo(8);
    assertThat(queryLong(db, "SELECT epoch FROM sagaz_leases WHERE name = 'maintenance-leader'")).isEqualTo(8);
  }
}
