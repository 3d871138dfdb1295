package io.sagaz.fleet.saga;

import static io.sagaz.fleet.saga.SagaIntegrationSupport.awaitStatus;
import static io.sagaz.fleet.saga.SagaIntegrationSupport.effects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.saga.SagaClient;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code node.demo}: the order saga, its participants, the lifecycle listener and the demo traffic, as {@code sagaz node --demo} deploys them. */
class DemoSagaTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private TestDatabase db;
  private TestNode node;
  private SagaClient client;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.shared().createMigratedDatabase();
    node = TestNode.local("demo-node", db);
    node.deploySagas(List.of(), SagaDefinitionFilesTest.confSagas(), Duration.ofSeconds(5), true).await();
    client = new SagaClient(node.vertx.eventBus());
  }

  @AfterEach
  void tearDown() {
    node.close();
    PostgresFixture.shared().drop(db);
  }

  @Test
  void aDeclinedPaymentReleasesTheInventoryAndAnOrderThatGoesThroughShips() {
    UUID declined = UUID.fromString(client.start("order", new JsonObject().put("failStep", "charge-payment"), null).await().getString("sagaId"));
    assertThat(awaitStatus(db, declined, WAIT, "ROLLED_BACK", "FAILED", "COMPLETED")).isEqualTo("ROLLED_BACK");
    assertThat(effects(db, declined)).containsExactly("reserve-inventory/action", "reserve-inventory/compensation");

    UUID broken = UUID.fromString(client.start("order", new JsonObject().put("failStep", "ship-order")
        .put("failCompensation", "charge-payment"), null).await().getString("sagaId"));
    assertThat(awaitStatus(db, broken, WAIT, "FAILED", "ROLLED_BACK")).isEqualTo("FAILED");
  }

  @Test
  void theDemoTrafficKeepsOrdersFlowing() {
    SagaOrchestratorTest.awaitTrue(() -> SagaIntegrationSupport.count(db,
        "SELECT count(*) FROM saga_executions WHERE saga_name = 'order' AND status IN ('COMPLETED', 'ROLLED_BACK')") >= 2);
    JsonObject def = client.definitions("order").await();
    assertThat(def.getString("mermaid")).contains("s_reserve_45_inventory --> s_charge_45_payment");
  }

  @Test
  void theDemoConsumesEachRelayedLifecycleEventOnceThroughTheInbox() {
    UUID eventId = UUID.randomUUID();
    JsonObject relayed = new JsonObject().put("version", 1).put("eventId", eventId.toString())
        .put("eventType", "saga.completed").put("topic", "saga.lifecycle").put("payload", new JsonObject());
    String address = Addresses.outboxTopic("saga.lifecycle");

    JsonObject first = node.vertx.eventBus().<JsonObject>request(address, relayed).await().body();
    JsonObject again = node.vertx.eventBus().<JsonObject>request(address, relayed).await().body();

    assertThat(first.getBoolean("duplicate")).isFalse();
    assertThat(again.getBoolean("duplicate")).isTrue();
    assertThat(SagaIntegrationSupport.count(db, "SELECT count(*) FROM consumer_inbox WHERE consumer_name = 'demo-lifecycle-log'"
        + " AND event_id = '" + eventId + "'")).isEqualTo(1);
    assertThatThrownBy(() -> node.vertx.eventBus().request(address, relayed.copy().put("eventId", "not-a-uuid")).await())
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("eventId");
        });
  }
}
