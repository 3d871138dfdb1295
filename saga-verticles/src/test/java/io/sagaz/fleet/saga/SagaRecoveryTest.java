package io.sagaz.fleet.saga;

import static io.sagaz.fleet.saga.SagaIntegrationSupport.auditEvents;
import static io.sagaz.fleet.saga.SagaIntegrationSupport.awaitStatus;
import static io.sagaz.fleet.saga.SagaIntegrationSupport.effects;
import static io.sagaz.fleet.saga.SagaIntegrationSupport.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.client.saga.SagaClient;
import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.core.saga.StepPhase;
import io.sagaz.fleet.saga.ScriptedParticipants.Script;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash recovery: a saga's owner stops renewing its lease and another node (over the clustered
 * event bus) or the restarted node resumes it from its persisted state, re-sending the command in
 * flight with the same commandId, which the participant's inbox turns into a no-op.
 */
class SagaRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<SagaDefinition> DEFS = List.of(SagaOrchestratorTest.linear("linear3", 3, Duration.ofSeconds(5), 3));
  private final List<TestNode> nodes = new ArrayList<>();
  private TestDatabase db;

  @AfterEach
  void tearDown() {
    for (TestNode n : nodes) {
      try {
        n.close();
      } catch (RuntimeException ignored) {
        // already closed by the test (the "crashed" node)
      }
    }
    if (db != null) {
      PostgresFixture.shared().drop(db);
    }
  }

  @Test
  void anotherClusterNodeResumesTheSagasOfADeadNodeAndEachEffectHappensOnce() {
    db = PostgresFixture.shared().createMigratedDatabase();
    String cluster = "saga-recovery-" + UUID.randomUUID();
    TestNode a = add(TestNode.clustered("node-a", cluster, db));
    TestNode b = add(TestNode.clustered("node-b", cluster, db));
    // participants live on node B; s1 answers slowly so node A dies with s1 in flight
    ScriptedParticipants participants = new ScriptedParticipants(b.vertx, b.pool, List.of("s1", "s2", "s3"))
        .script("s1", StepPhase.ACTION, Script.delay(1500));
    participants.register().await();
    // the lease must outlast the longest wait for a pooled connection: these participants hold
    // connections for 1.5 s in their transactions
    a.deploySagas(DEFS, null, Duration.ofSeconds(3), false).await();

    SagaClient clientOnB = new SagaClient(b.vertx.eventBus());
    List<io.vertx.core.Future<JsonObject>> starts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      starts.add(clientOnB.start("linear3", new JsonObject().put("n", i), null));
    }
    io.vertx.core.Future.all(starts).await();
    List<UUID> ids = starts.stream().map(f -> UUID.fromString(f.result().getString("sagaId"))).toList();
    a.crash(); // node A is gone: its leases are not released, the replies to it are lost

    b.deploySagas(DEFS, null, Duration.ofSeconds(3), false).await();
    for (UUID id : ids) {
      assertThat(awaitStatus(db, id, WAIT, "COMPLETED", "ROLLED_BACK", "FAILED")).isEqualTo("COMPLETED");
      assertThat(effects(db, id)).containsExactly("s1/action", "s2/action", "s3/action");
      assertThat(auditEvents(db, id)).contains("-:saga.resumed");
      assertThat(strings(db, "SELECT owner_node || '/' || lease_epoch FROM saga_executions WHERE saga_id = ?", id))
          .containsExactly("node-b/2");
    }
    // the command in flight was re-sent after the takeover, yet the handler ran once per saga
    long resent = ids.stream().filter(id -> auditEvents(db, id).contains("s1:step.resent")).count();
    assertThat(resent).isPositive();
    assertThat(participants.calls("s1", StepPhase.ACTION)).isEqualTo(ids.size());
  }

  @Test
  void aGracefulStopHandsTheSagasOverAtOnce() {
    db = PostgresFixture.shared().createMigratedDatabase();
    TestNode a = add(TestNode.local("node-a", db));
    TestNode b = add(TestNode.local("node-b", db));
    ScriptedParticipants pa = new ScriptedParticipants(a.vertx, a.pool, List.of("s1", "s2", "s3"))
        .script("s2", StepPhase.ACTION, Script.hanging());
    pa.register().await();
    new ScriptedParticipants(b.vertx, b.pool, List.of("s1", "s2", "s3")).register().await();
    Duration longLease = Duration.ofMinutes(5);
    a.deploySagas(DEFS, null, longLease, false).await();
    UUID id = UUID.fromString(new SagaClient(a.vertx.eventBus()).start("linear3", new JsonObject(), null).await().getString("sagaId"));
    SagaOrchestratorTest.awaitTrue(() -> auditEvents(db, id).contains("s2:step.sent"));
    b.deploySagas(DEFS, null, longLease, false).await();
    a.close();
    assertThat(awaitStatus(db, id, WAIT, "COMPLETED", "ROLLED_BACK", "FAILED")).isEqualTo("COMPLETED");
    assertThat(strings(db, "SELECT owner_node FROM saga_executions WHERE saga_id = ?", id)).containsExactly("node-b");
  }

  @Test
  void aRestartedNodeResumesItsOwnSagasWithoutWaitingForTheirLeases() {
    db = PostgresFixture.shared().createMigratedDatabase();
    TestNode first = add(TestNode.local("node-a", db));
    ScriptedParticipants p1 = new ScriptedParticipants(first.vertx, first.pool, List.of("s1", "s2", "s3"))
        .script("s2", StepPhase.ACTION, Script.hanging());
    p1.register().await();
    Duration longLease = Duration.ofMinutes(5);
    first.deploySagas(DEFS, null, longLease, false).await();
    SagaClient client = new SagaClient(first.vertx.eventBus());
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(UUID.fromString(client.start("linear3", new JsonObject(), null).await().getString("sagaId")));
    }
    for (UUID id : ids) {
      SagaOrchestratorTest.awaitTrue(() -> auditEvents(db, id).contains("s2:step.sent"));
    }
    first.crash();

    TestNode restarted = add(TestNode.local("node-a", db));
    new ScriptedParticipants(restarted.vertx, restarted.pool, List.of("s1", "s2", "s3")).register().await();
    restarted.deploySagas(DEFS, null, longLease, false).await();
    for (UUID id : ids) {
      // far sooner than the five-minute lease: the node knows these were its own
      assertThat(awaitStatus(db, id, WAIT, "COMPLETED", "ROLLED_BACK", "FAILED")).isEqualTo("COMPLETED");
      assertThat(effects(db, id)).containsExactly("s1/action", "s2/action", "s3/action");
    }
  }

  private TestNode add(TestNode n) {
    nodes.add(n);
    return n;
  }
}
