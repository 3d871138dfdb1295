package io.sagaz.fleet.saga;

import static io.sagaz.fleet.saga.SagaIntegrationSupport.assertCode;
import static io.sagaz.fleet.saga.SagaIntegrationSupport.auditEvents;
import static io.sagaz.fleet.saga.SagaIntegrationSupport.awaitStatus;
import static io.sagaz.fleet.saga.SagaIntegrationSupport.count;
import static io.sagaz.fleet.saga.SagaIntegrationSupport.effects;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.saga.SagaClient;
import io.sagaz.fleet.core.saga.FailureStrategy;
import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.core.saga.SagaDefinitionBuilder;
import io.sagaz.fleet.core.saga.StepPhase;
import io.sagaz.fleet.saga.ScriptedParticipants.Script;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The orchestrator end to end on a real Vert.x and a real PostgreSQL, with real participants. */
class SagaOrchestratorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final List<String> STEPS = List.of("s1", "s2", "s3", "s4", "root", "left", "right", "join");

  private TestDatabase db;
  private TestNode node;
  private ScriptedParticipants participants;
  private SagaClient client;
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    db = PostgresFixture.shared().createMigratedDatabase();
    node = TestNode.local("node-a", db);
    participants = new ScriptedParticipants(node.vertx, node.pool, STEPS);
    participants.register().await();
    node.vertx.eventBus().<JsonObject>consumer(Addresses.SAGA_EVENTS, m -> published.add(m.body()));
    node.deploySagas(definitions(), null, Duration.ofSeconds(5), false).await();
    client = new SagaClient(node.vertx.eventBus());
  }

  @AfterEach
  void tearDown() {
    node.close();
    PostgresFixture.shared().drop(db);
  }

  static List<SagaDefinition> definitions() {
    return List.of(
        linear("linear3", 3, Duration.ofSeconds(5), 1),
        linear("linear4", 4, Duration.ofSeconds(5), 1),
        linear("retrying", 2, Duration.ofSeconds(5), 3),
        linear("timing-out", 2, Duration.ofMillis(300), 2),
        SagaDefinition.builder("with-deadline").deadline(Duration.ofMillis(600))
            .step("s1", s -> s.action(ScriptedParticipants.address("s1", StepPhase.ACTION))
                .compensation(ScriptedParticipants.address("s1", StepPhase.COMPENSATION)))
            .step("s2", s -> s.action(ScriptedParticipants.address("s2", StepPhase.ACTION))
                .compensation(ScriptedParticipants.address("s2", StepPhase.COMPENSATION)).dependsOn("s1"))
            .build(),
        SagaDefinition.builder("with-pivot")
            .step("s1", s -> s.action(ScriptedParticipants.address("s1", StepPhase.ACTION))
                .compensation(ScriptedParticipants.address("s1", StepPhase.COMPENSATION)))
            .step("s2", s -> s.action(ScriptedParticipants.address("s2", StepPhase.ACTION)).dependsOn("s1").pivot())
            .step("s3", s -> s.action(ScriptedParticipants.address("s3", StepPhase.ACTION)).dependsOn("s2")
                .retry(2, Duration.ofMillis(100)))
            .build(),
        diamond("diamond-fail-fast", FailureStrategy.FAIL_FAST),
        diamond("diamond-wait-all", FailureStrategy.WAIT_ALL));
  }

  static SagaDefinition linear(String name, int n, Duration timeout, int attempts) {
    SagaDefinitionBuilder b = SagaDefinition.builder(name);
    for (int i = 1; i <= n; i++) {
      String step = "s" + i;
      String prev = "s" + (i - 1);
      boolean first = i == 1;
      b.step(step, s -> {
        s.action(ScriptedParticipants.address(step, StepPhase.ACTION))
            .compensation(ScriptedParticipants.address(step, StepPhase.COMPENSATION))
            .timeout(timeout).retry(attempts, Duration.ofMillis(50));
        if (!first) {
          s.dependsOn(prev);
        }
      });
    }
    return b.build();
  }

  static SagaDefinition diamond(String name, FailureStrategy strategy) {
    SagaDefinitionBuilder b = SagaDefinition.builder(name).failureStrategy(strategy);
    for (String[] st : new String[][] {{"root"}, {"left", "root"}, {"right", "root"}, {"join", "left", "right"}}) {
      b.step(st[0], s -> s.action(ScriptedParticipants.address(st[0], StepPhase.ACTION))
          .compensation(ScriptedParticipants.address(st[0], StepPhase.COMPENSATION))
          .dependsOn(java.util.Arrays.copyOfRange(st, 1, st.length)).retry(3, Duration.ofMillis(50)));
    }
    return b.build();
  }

  private UUID start(String saga, JsonObject input) {
    JsonObject r = client.start(saga, input, null).await();
    assertThat(r.getString("status")).isEqualTo("EXECUTING");
    return UUID.fromString(r.getString("sagaId"));
  }

  @Test
  void happyPathCompletesWithOneEffectPerStepAuditRowsAndLifecycleEvents() {
    UUID id = start("linear3", new JsonObject().put("orderId", 7));
    assertThat(awaitStatus(db, id, WAIT, "COMPLETED", "ROLLED_BACK", "FAILED")).isEqualTo("COMPLETED");
    assertThat(effects(db, id)).containsExactly("s1/action", "s2/action", "s3/action");
    assertThat(auditEvents(db, id)).startsWith("-:saga.started", "s1:step.sent", "s1:step.succeeded", "s2:step.sent")
        .endsWith("-:saga.completed");
    assertThat(count(db, "SELECT count(*) FROM saga_outbox WHERE saga_id = '" + id + "' AND aggregate_type = 'saga'"
        + " AND topic = 'saga.lifecycle' AND status = 'pending'")).isEqualTo(5); // started, 3 steps, completed

    JsonObject view = client.get(id).await();
    assertThat(view.getString("status")).isEqualTo("COMPLETED");
    assertThat(view.getJsonObject("input").getInteger("orderId")).isEqualTo(7);
    assertThat(view.getJsonObject("context").getJsonObject("s2").getString("step")).isEqualTo("s2");
    assertThat(view.getJsonObject("steps").getJsonObject("s3").getString("status")).isEqualTo("SUCCEEDED");
    assertThat(view.getJsonArray("history").size()).isEqualTo(8);
    assertThat(view.getString("mermaid")).contains("linear3: COMPLETED", "class s_s3 succeeded");
    awaitPublished(id, "saga.completed");
  }

  @Test
  void failureAtStepThreeCompensatesStepsTwoAndOneInReverse() {
    participants.script("s3", StepPhase.ACTION, Script.fail(409));
    UUID id = start("linear4", new JsonObject());
    assertThat(awaitStatus(db, id, WAIT, "COMPLETED", "ROLLED_BACK", "FAILED")).isEqualTo("ROLLED_BACK");
    assertThat(effects(db, id)).containsExactly("s1/action", "s2/action", "s2/compensation", "s1/compensation");
    assertThat(participants.calls("s3", StepPhase.ACTION)).isEqualTo(1); // a business failure is not retried
    assertThat(participants.calls("s4", StepPhase.ACTION)).isZero();
    JsonObject view = client.get(id).await();
    assertThat(view.getString("error")).contains("step 's3' failed");
    assertThat(view.getString("mermaid")).contains("class s_s3 failed", "s_s1 == compensated ==> s_s1_undo");
    awaitPublished(id, "saga.rolled_back");
  }

  @Test
  void failFastStartsCompensatingAtOnceAndUndoesTheSlowBranchWhenItAnswers() {
    participants.script("left", StepPhase.ACTION, Script.fail(409))
        .script("right", StepPhase.ACTION, Script.delay(700));
    UUID id = start("diamond-fail-fast", new JsonObject());
    awaitStatus(db, id, WAIT, "COMPENSATING", "ROLLED_BACK");
    // compensation began while right was still running: right's effect is not there yet
    assertThat(effects(db, id)).doesNotContain("right/action");
    assertThat(awaitStatus(db, id, WAIT, "ROLLED_BACK", "FAILED", "COMPLETED")).isEqualTo("ROLLED_BACK");
    assertThat(effects(db, id)).containsExactly("root/action", "right/action", "right/compensation", "root/compensation");
  }

  @Test
  void waitAllLetsTheOtherBranchRetryAndFinishBeforeCompensating() {
    participants.script("left", StepPhase.ACTION, Script.fail(409))
        .script("right", StepPhase.ACTION, Script.failTimes(2, 503));
    UUID id = start("diamond-wait-all", new JsonObject());
    assertThat(awaitStatus(db, id, WAIT, "ROLLED_BACK", "FAILED", "COMPLETED")).isEqualTo("ROLLED_BACK");
    assertThat(participants.calls("right", StepPhase.ACTION)).isEqualTo(3);
    assertThat(effects(db, id)).containsExactly("root/action", "right/action", "right/compensation", "root/compensation");
    List<String> audit = auditEvents(db, id);
    assertThat(audit.indexOf("right:step.succeeded")).isLessThan(audit.indexOf("-:saga.compensating"));
  }

  @Test
  void retryableFailuresAreRetriedThenTheStepSucceeds() {
    participants.script("s1", StepPhase.ACTION, Script.failTimes(2, 503));
    UUID id = start("retrying", new JsonObject());
    assertThat(awaitStatus(db, id, WAIT, "COMPLETED", "ROLLED_BACK", "FAILED")).isEqualTo("COMPLETED");
    assertThat(participants.calls("s1", StepPhase.ACTION)).isEqualTo(3);
    assertThat(effects(db, id)).containsExactly("s1/action", "s2/action");
    assertThat(auditEvents(db, id)).containsSubsequence("s1:step.retry_scheduled", "s1:step.retried",
        "s1:step.retry_scheduled", "s1:step.retried", "s1:step.succeeded");
  }

  @Test
  void stepTimingOutOnEveryTryIsCompensatedWithTheStepsBeforeIt() {
    participants.script("s2", StepPhase.ACTION, Script.hanging());
    UUID id = start("timing-out", new JsonObject());
    assertThat(awaitStatus(db, id, WAIT, "ROLLED_BACK", "FAILED", "COMPLETED")).isEqualTo("ROLLED_BACK");
    // s2 may have happened (no reply is not a no): it is undone too, then s1
    assertThat(effects(db, id)).containsExactly("s1/action", "s2/compensation", "s1/compensation");
    JsonObject s2 = client.get(id).await().getJsonObject("steps").getJsonObject("s2");
    assertThat(s2.getInteger("attempt")).isEqualTo(2);
    assertThat(s2.getString("error")).contains("no reply from t.s2.do within 300 ms");
    assertThat(auditEvents(db, id)).containsSubsequence("s2:step.sent", "s2:step.retry_scheduled", "s2:step.retried",
        "s2:step.failed", "-:saga.compensating", "s2:compensation.sent", "s2:step.compensated", "s1:compensation.sent");
    // the re-sent command carried the same commandId: it queued behind the hung first copy in the
    // participant's inbox instead of running the handler a second time
    assertThat(participants.calls("s2", StepPhase.ACTION)).isEqualTo(1);
  }

  @Test
  void failingCompensationLeavesFailedAndOperatorRetryFinishesTheRollback() {
    participants.script("s3", StepPhase.ACTION, Script.fail(409))
        .script("s2", StepPhase.COMPENSATION, Script.failTimes(1, 500));
    UUID id = start("linear3", new JsonObject());
    assertThat(awaitStatus(db, id, WAIT, "FAILED", "ROLLED_BACK")).isEqualTo("FAILED");
    JsonObject view = client.get(id).await();
    assertThat(view.getString("error")).contains("compensation of step 's2' failed");
    assertThat(view.getJsonObject("steps").getJsonObject("s1").getString("status")).isEqualTo("SUCCEEDED");
    awaitPublished(id, "saga.failed");

    JsonObject retried = client.retryCompensation(id).await();
    assertThat(retried.getString("status")).isEqualTo("COMPENSATING");
    assertThat(awaitStatus(db, id, WAIT, "ROLLED_BACK", "FAILED")).isEqualTo("ROLLED_BACK");
    assertThat(effects(db, id)).containsExactly("s1/action", "s2/action", "s2/compensation", "s1/compensation");
    assertCode(client.retryCompensation(id), 409, "only a FAILED saga can be retried");
  }

  @Test
  void cancelWhileRunningCompensatesWhatCompleted() {
    participants.script("s2", StepPhase.ACTION, Script.delay(800));
    UUID id = start("linear3", new JsonObject());
    awaitEffect(id, "s1/action");
    JsonObject r = client.cancel(id).await();
    assertThat(r.getString("status")).isEqualTo("COMPENSATING");
    assertThat(awaitStatus(db, id, WAIT, "ROLLED_BACK", "FAILED", "COMPLETED")).isEqualTo("ROLLED_BACK");
    assertThat(effects(db, id)).containsExactly("s1/action", "s2/action", "s2/compensation", "s1/compensation");
    assertThat(participants.calls("s3", StepPhase.ACTION)).isZero();
    assertCode(client.cancel(id), 409, "ROLLED_BACK");
    assertCode(client.cancel(UUID.randomUUID()), 404, "no saga");
  }

  @Test
  void aSagaPastItsDeadlineRollsBack() {
    participants.script("s2", StepPhase.ACTION, Script.delay(1500));
    UUID id = start("with-deadline", new JsonObject());
    assertThat(awaitStatus(db, id, WAIT, "ROLLED_BACK", "FAILED", "COMPLETED")).isEqualTo("ROLLED_BACK");
    assertThat(client.get(id).await().getString("error")).contains("deadline");
    // s2 was still running at the deadline; it is undone once it answers, then s1
    assertThat(effects(db, id)).containsExactly("s1/action", "s2/action", "s2/compensation", "s1/compensation");
  }

  @Test
  void pastThePivotTheSagaOnlyMovesForward() {
    participants.script("s3", StepPhase.ACTION, Script.failTimes(4, 503)); // more failures than its 2 tries
    UUID id = start("with-pivot", new JsonObject());
    awaitTrue(() -> auditEvents(db, id).contains("s3:step.retry_scheduled"));
    assertCode(client.cancel(id), 409, "passed pivot step 's2'");
    assertThat(awaitStatus(db, id, WAIT, "COMPLETED", "ROLLED_BACK", "FAILED")).isEqualTo("COMPLETED");
    assertThat(participants.calls("s3", StepPhase.ACTION)).isEqualTo(5);
    assertThat(effects(db, id)).containsExactly("s1/action", "s2/action", "s3/action");
  }

  @Test
  void sameIdempotencyKeyTwiceGivesOneSagaEvenWhenConcurrent() {
    List<Future<JsonObject>> starts = new ArrayList<>();
    IntStream.range(0, 8).forEach(i -> starts.add(client.start("linear3", new JsonObject(), "order-42")));
    Future.all(starts).await();
    assertThat(starts.stream().map(f -> f.result().getString("sagaId")).distinct()).hasSize(1);
    assertThat(starts.stream().filter(f -> f.result().getBoolean("created"))).hasSize(1);
    UUID id = UUID.fromString(starts.get(0).result().getString("sagaId"));
    awaitStatus(db, id, WAIT, "COMPLETED");
    JsonObject again = client.start("linear3", new JsonObject(), "order-42").await();
    assertThat(again.getString("sagaId")).isEqualTo(id.toString());
    assertThat(again.getString("status")).isEqualTo("COMPLETED");
    assertThat(count(db, "SELECT count(*) FROM saga_executions")).isEqualTo(1);
    assertThat(effects(db, id)).hasSize(3);
  }

  @Test
  void malformedStartRequestsGet400NamingTheFieldAndCreateNothing() {
    var bus = node.vertx.eventBus();
    assertCode(bus.request(Addresses.SAGA_START, new JsonObject().put("input", new JsonObject())), 400, "saga:");
    assertCode(bus.request(Addresses.SAGA_START, new JsonObject().put("saga", 12)), 400, "saga:");
    assertCode(bus.request(Addresses.SAGA_START, new JsonObject().put("saga", "linear3").put("input", "x")), 400, "input:");
    assertCode(bus.request(Addresses.SAGA_START, new JsonObject().put("saga", "linear3").put("input", new JsonArray())), 400, "input:");
    assertCode(bus.request(Addresses.SAGA_START, new JsonObject().put("saga", "linear3").put("idempotencyKey", 5)), 400, "idempotencyKey:");
    assertCode(bus.request(Addresses.SAGA_START, new JsonObject().put("saga", "linear3")
        .put("input", new JsonObject().put("blob", "x".repeat(300_000)))), 400, "input: larger than the limit of 262144 bytes");
    assertCode(bus.request(Addresses.SAGA_START, "not json"), 400, "body:");
    assertCode(bus.request(Addresses.SAGA_START, new JsonObject().put("saga", "nope")), 404, "no saga definition 'nope'");
    assertCode(bus.request(Addresses.SAGA_GET, new JsonObject().put("sagaId", "123")), 400, "sagaId: not a UUID");
    assertCode(bus.request(Addresses.SAGA_LIST, new JsonObject().put("status", "DONE")), 400, "status: must be one of");
    assertCode(bus.request(Addresses.SAGA_LIST, new JsonObject().put("limit", 0)), 400, "limit:");
    assertThat(count(db, "SELECT count(*) FROM saga_executions")).isZero();
    assertThat(count(db, "SELECT count(*) FROM saga_audit_log")).isZero();
    assertThat(count(db, "SELECT count(*) FROM saga_outbox")).isZero();
  }

  @Test
  void listsSagasAndServesDefinitionsWithMermaid() {
    UUID id = start("linear3", new JsonObject());
    awaitStatus(db, id, WAIT, "COMPLETED");
    participants.script("s3", StepPhase.ACTION, Script.fail(409));
    UUID rolled = start("linear3", new JsonObject());
    awaitStatus(db, rolled, WAIT, "ROLLED_BACK");
    JsonArray done = client.list("COMPLETED", "linear3", 10).await().getJsonArray("sagas");
    assertThat(done).hasSize(1);
    assertThat(done.getJsonObject(0).getString("sagaId")).isEqualTo(id.toString());
    assertThat(client.list(null, null, 10).await().getJsonArray("sagas")).hasSize(2);

    JsonObject def = client.definitions("diamond-wait-all").await();
    assertThat(def.getJsonObject("definition").getString("failureStrategy")).isEqualTo("wait-all");
    assertThat(def.getString("mermaid")).contains("s_root --> s_left", "s_left --> s_join");
    assertThat(client.definitions(null).await().getJsonArray("definitions")).hasSize(definitions().size());
    assertCode(client.definitions("nope"), 404, "no saga definition 'nope'");
  }

  @Test
  void metricsCountSagasByNameAndTimeSteps() {
    UUID id = start("linear3", new JsonObject());
    awaitStatus(db, id, WAIT, "COMPLETED");
    participants.script("s1", StepPhase.ACTION, Script.fail(409));
    UUID rolled = start("linear3", new JsonObject());
    awaitStatus(db, rolled, WAIT, "ROLLED_BACK");
    var m = node.meters;
    awaitTrue(() -> m.find("sagaz.saga.rolled_back").tag("saga", "linear3").counter() != null);
    assertThat(m.get("sagaz.saga.started").tag("saga", "linear3").counter().count()).isEqualTo(2);
    assertThat(m.get("sagaz.saga.completed").tag("saga", "linear3").counter().count()).isEqualTo(1);
    assertThat(m.get("sagaz.saga.rolled_back").tag("saga", "linear3").counter().count()).isEqualTo(1);
    assertThat(m.get("sagaz.saga.step.duration").tags("saga", "linear3", "step", "s2").timer().count()).isEqualTo(1);
    assertThat(m.get("sagaz.saga.running").tag("saga", "linear3").gauge().value()).isZero();
  }

  private void awaitEffect(UUID id, String effect) {
    awaitTrue(() -> effects(db, id).contains(effect));
  }

  private void awaitPublished(UUID id, String type) {
    awaitTrue(() -> published.stream().anyMatch(e -> e.getString("sagaId").equals(id.toString()) && e.getString("type").equals(type)));
  }

  static void awaitTrue(java.util.function.BooleanSupplier cond) {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      SagaIntegrationSupport.pause(20);
    }
  }
}
