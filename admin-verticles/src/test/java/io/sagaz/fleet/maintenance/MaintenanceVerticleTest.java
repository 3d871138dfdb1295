package io.sagaz.fleet.maintenance;

import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.await;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.config;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.execute;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.pool;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One maintenance node on a real database: its runs, its requests, its refusals and its metrics. */
class MaintenanceVerticleTest {
  private Vertx vertx;
  private TestDatabase db;
  private PrometheusMeterRegistry registry;
  private String deployment;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    db = PostgresFixture.shared().createMigratedDatabase();
    // an inbox row past the 90-day retention, and one within it
    execute(db, "INSERT INTO consumer_inbox (consumer_name, event_id, processed_at) VALUES"
        + " ('c', gen_random_uuid(), now() - interval '100 days'), ('c', gen_random_uuid(), now())");
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    deployment = vertx.deployVerticle(new MaintenanceVerticle("node-a", config(Duration.ofSeconds(3)), pool(vertx, db, 3), registry)).await();
    await("the leadership run", Duration.ofSeconds(15),
        () -> queryLong(db, "SELECT count(*) FROM partition_maintenance_runs WHERE trigger = 'leadership' AND status = 'succeeded'") == 1);
  }

  @AfterEach
  void tearDown() {
    vertx.undeploy(deployment).await();
    vertx.close().await();
    PostgresFixture.shared().drop(db);
  }

  private JsonObject request(String address, JsonObject body) throws Exception {
    return vertx.eventBus().<JsonObject>request(address, body.put("version", 1)).await(30, TimeUnit.SECONDS).body();
  }

  private long partitions(String like) {
    return queryLong(db, "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r' AND c.relname LIKE '" + like + "'");
  }

  @Test
  void leadershipRunKeepsPartitionsAheadAndCleansTheInboxAndIsRecorded() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(partitions(outboxPartition(today.plusDays(7)))).isEqualTo(1);
    assertThat(queryLong(db, "SELECT count(*) FROM consumer_inbox")).isEqualTo(1);
    assertThat(queryLong(db, "SELECT count(*) FROM partition_maintenance_runs r, jsonb_array_elements(r.actions) a"
        + " WHERE a->>'action' = 'cleanup' AND a->>'detail' LIKE 'deleted 1 rows%'")).isEqualTo(1);
    assertThat(queryLong(db, "SELECT count(*) FROM partition_maintenance_runs WHERE holder = 'node-a' AND epoch = 1")).isEqualTo(1);
  }

  @Test
  void maintainRequestRunsOnTheLeaderAndAnswersWithTheRun() throws Exception {
    JsonObject reply = request(Addresses.MAINTENANCE_RUN, new JsonObject());

    assertThat(reply.getString("holder")).isEqualTo("node-a");
    assertThat(reply.getLong("epoch")).isEqualTo(1L);
    assertThat(reply.getString("trigger")).isEqualTo("api");
    assertThat(reply.getJsonArray("actions")).isNotNull();
    assertThat(queryLong(db, "SELECT count(*) FROM partition_maintenance_runs WHERE trigger = 'api' AND status = 'succeeded'"
        + " AND id = " + reply.getLong("runId"))).isEqualTo(1);
    assertThat(registry.scrape()).contains("sagaz_partition_maintenance_duration_seconds_count 2");
  }

  @Test
  void aRunCreatesEachMissingPartitionAndLeavesAPeriodCoveredUnderAnotherNameAlone() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String gap = outboxPartition(today.plusDays(3));
    String renamed = outboxPartition(today.plusDays(5));
    execute(db, "DROP TABLE " + gap);
    execute(db, "ALTER TABLE " + renamed + " RENAME TO outbox_by_hand");

    JsonObject reply = request(Addresses.MAINTENANCE_RUN, new JsonObject());

    assertThat(reply.getJsonArray("actions").stream().map(JsonObject.class::cast)
        .filter(a -> "created".equals(a.getString("action"))).map(a -> a.getString("partition"))).containsExactly(gap);
    assertThat(partitions(gap)).isEqualTo(1);
    assertThat(partitions(renamed)).isZero();
    assertThat(partitions("outbox_by_hand")).isEqualTo(1);
  }

  private static String outboxPartition(LocalDate day) {
    return String.format("saga_outbox_y%04dm%02dd%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
  }

  @Test
  void createsTheSeedRangeThenDropsWhatIsOlderThanACutOff() throws Exception {
    JsonObject created = request(Addresses.PARTITIONS_CREATE,
        new JsonObject().put("table", "saga_executions").put("from", "2025-01-01").put("to", "2025-12-31"));
    assertThat(created.getJsonArray("actions").stream().map(JsonObject.class::cast)
        .filter(a -> "created".equals(a.getString("action")))).hasSize(12);
    assertThat(partitions("saga_executions_y2025m%")).isEqualTo(12);

    JsonObject dropped = request(Addresses.PARTITIONS_DROP,
        new JsonObject().put("table", "saga_executions").put("olderThan", "2025-07-01"));
    assertThat(dropped.getJsonArray("actions").stream().map(JsonObject.class::cast)
        .filter(a -> "dropped".equals(a.getString("action")))).hasSize(6);
    assertThat(partitions("saga_executions_y2025m%")).isEqualTo(6);
  }

  @Test
  void badRequestsAreRefusedNamingTheFieldAndChangeNothing() {
    long partitionsBefore = partitions("saga_%");
    long runsBefore = queryLong(db, "SELECT count(*) FROM partition_maintenance_runs");

    assertInvalid(Addresses.PARTITIONS_CREATE, new JsonObject().put("table", "sagas").put("from", "2025-01-01").put("to", "2025-02-01"), "table");
    assertInvalid(Addresses.PARTITIONS_CREATE, new JsonObject().put("table", "saga_outbox").put("from", "2025-03-01").put("to", "2025-02-01"), "from");
    assertInvalid(Addresses.PARTITIONS_CREATE, new JsonObject().put("table", "saga_outbox").put("from", "2025-02-30").put("to", "2025-03-01"), "from");
    assertInvalid(Addresses.PARTITIONS_CREATE, new JsonObject().put("table", "saga_outbox").put("from", "2020-01-01").put("to", "2025-03-01"), "to");
    assertInvalid(Addresses.PARTITIONS_DROP, new JsonObject().put("table", "saga_outbox").put("olderThan", "12 parsecs"), "olderThan");
    assertInvalid(Addresses.PARTITIONS_DROP, new JsonObject().put("table", "saga_outbox"), "olderThan");
    assertInvalid(Addresses.PARTITIONS_DROP, new JsonObject().put("table", "saga_outbox").put("olderThan", "2999-01-01"), "olderThan");
    assertInvalid(Addresses.PARTITIONS_DROP, new JsonObject().put("table", 7).put("olderThan", "12m"), "table");
    // A body that is not a JSON object gets its 400 at once, not a timeout.
    for (String address : List.of(Addresses.PARTITIONS_CREATE, Addresses.PARTITIONS_LIST, Addresses.MAINTENANCE_LEADER)) {
      for (Object body : List.of("saga_outbox", new JsonArray().add("saga_outbox"))) {
        Throwable err = catchThrowable(() -> vertx.eventBus().request(address, body).await(5, TimeUnit.SECONDS));
        assertThat(err).as("%s %s", address, body).isInstanceOf(ReplyException.class);
        assertThat(((ReplyException) err).failureCode()).isEqualTo(400);
        assertThat(err.getMessage()).startsWith("body: must be a JSON object, was a " + body.getClass().getSimpleName());
      }
    }

    assertThat(partitions("saga_%")).isEqualTo(partitionsBefore);
    assertThat(queryLong(db, "SELECT count(*) FROM partition_maintenance_runs")).isEqualTo(runsBefore);
  }

  private void assertInvalid(String address, JsonObject body, String field) {
    Throwable err = catchThrowable(() -> request(address, body));
    assertThat(err).as("%s %s", address, body).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) err).failureCode()).isEqualTo(400);
    assertThat(err.getMessage()).startsWith(field + ":");
  }

  @Test
  void listAnswersStatisticsAndTheGaugesShowHowFarAheadAndWhatSitsInDefault() throws Exception {
    execute(db, "INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload, created_at)"
        + " VALUES ('a', '1', 'e', 't', '{}', now() + interval '5 years')");
    JsonObject stats = request(Addresses.PARTITIONS_LIST, new JsonObject());

    JsonArray defaults = stats.getJsonArray("defaults");
    assertThat(defaults.stream().map(JsonObject.class::cast).filter(d -> d.getString("table").equals("saga_outbox")))
        .singleElement().satisfies(d -> assertThat(d.getLong("rowCount")).isEqualTo(1L));
    assertThat(stats.getJsonArray("partitions").stream().map(JsonObject.class::cast)
        .filter(p -> !p.getBoolean("isDefault")).map(p -> p.getString("table")).distinct())
        .containsExactlyInAnyOrder("saga_executions", "saga_audit_log", "saga_outbox");
    String scrape = registry.scrape();
    assertThat(scrape).contains("sagaz_partition_default_rows{table=\"saga_outbox\"} 1.0");
    assertThat(scrape).containsPattern("sagaz_partition_ahead_days\\{table=\"saga_outbox\"} [78]\\.");
    assertThat(scrape).containsPattern("sagaz_partition_ahead_days\\{table=\"saga_executions\"} (9\\d|1[01]\\d)\\.");
  }
}
