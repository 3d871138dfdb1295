package io.sagaz.fleet.maintenance;

import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.await;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.execute;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.pool;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.queryLong;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sagaz.fleet.core.maintenance.LeaseSql;
import io.sagaz.fleet.core.maintenance.LeaseTiming;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Fenced transactions against real PostgreSQL: a deposed leader's work fails and never overlaps. */
class FencingTest {
  private static final Duration LEASE = Duration.ofSeconds(1);

  private Vertx vertx;
  private TestDatabase db;
  private Pool pool;
  private LeaseStore lease;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    db = PostgresFixture.shared().createMigratedDatabase();
    pool = pool(vertx, db, 4);
    lease = new LeaseStore(pool, LeaseSql.MAINTENANCE_LEADER);
    logs.start();
    ((Logger) LoggerFactory.getLogger(FencedRunner.class)).addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(FencedRunner.class)).detachAppender(logs);
    vertx.close().await();
    PostgresFixture.shared().drop(db);
  }

  private FencedRunner runner(int attempts) {
    return new FencedRunner(vertx, pool, lease.name(), new LeaseTiming(LEASE),
        FencedRunner.StepGuards.unpaced(Duration.ofMillis(200)), attempts);
  }

  private static FencedRunner.Work createTable(String name, double sleepSeconds) {
    return conn -> conn.query("CREATE TABLE " + name + " (id int)").execute()
        .compose(v -> conn.query("SELECT pg_sleep(" + sleepSeconds + ")").execute())
        .map(v -> new JsonArray().add(new JsonObject().put("action", "create").put("table", name)));
  }

  private Leadership acquire(String holder, Duration forHowLong) {
    return lease.acquire(holder, forHowLong, Duration.ZERO).await().orElseThrow();
  }

  private boolean tableExists(String name) {
    return queryLong(db, "SELECT count(*) FROM pg_class WHERE relname = '" + name + "'") == 1;
  }

  @Test
  void leaderRecordsASucceededRunWithItsHolderEpochTriggerAndActions() {
    Leadership a = acquire("node-a", Duration.ofSeconds(30));
    FencedRunner.Outcome outcome = runner(3).run(a, "schedule", createTable("probe_ok", 0)).await();

    assertThat(tableExists("probe_ok")).isTrue();
    assertThat(outcome.runId()).isPositive();
    assertThat(queryString(db, "SELECT holder || '/' || epoch || '/' || trigger || '/' || status || '/' || (actions->0->>'table')"
        + " FROM partition_maintenance_runs WHERE id = " + outcome.runId())).isEqualTo("node-a/1/schedule/succeeded/probe_ok");
  }

  /** A step that records when it ran and the ANALYZE throttle its transaction had. */
  private static FencedRunner.Work probeStep(List<Long> startedAt, List<String> throttles) {
    return conn -> {
      startedAt.add(System.nanoTime());
      return conn.query("SELECT current_setting('vacuum_cost_delay') || '/' || current_setting('vacuum_cost_limit')"
              + " || '/' || current_setting('default_statistics_target') AS t").execute()
          .map(rows -> {
            throttles.add(rows.iterator().next().getString("t"));
            return new JsonArray();
          });
    };
  }

  /**
   * ANALYZEs a fresh table of 1,000 distinct values in the step: the size of its histogram shows the
   * statistics target the ANALYZE ran with (target + 1 bounds).
   */
  private static FencedRunner.Work histogramProbe(String table, List<Integer> bounds) {
    return conn -> conn.query("CREATE TABLE " + table + " AS SELECT g AS v FROM generate_series(1, 1000) g").execute()
        .compose(v -> conn.query("ANALYZE " + table).execute())
        .compose(v -> conn.query("SELECT array_length(histogram_bounds, 1) AS n FROM pg_stats WHERE tablename = '" + table
            + "' AND attname = 'v'").execute())
        .map(rows -> {
          bounds.add(rows.iterator().next().getInteger("n"));
          return new JsonArray();
        });
  }

  @Test
  void stepsOfARunArePausedApartAndRunWithTheAnalyzeThrottle() throws Exception {
    Leadership a = acquire("node-a", Duration.ofSeconds(30));
    var guards = new FencedRunner.StepGuards(Duration.ofMillis(200), Duration.ofMillis(7), 55, 25, Duration.ofMillis(300));
    FencedRunner paced = new FencedRunner(vertx, pool, lease.name(), new LeaseTiming(Duration.ofSeconds(30)), guards, 1);
    List<Long> startedAt = new CopyOnWriteArrayList<>();
    List<String> throttles = new CopyOnWriteArrayList<>();

    List<Integer> bounds = new CopyOnWriteArrayList<>();
    paced.run(a, "schedule", List.of(probeStep(startedAt, throttles), probeStep(startedAt, throttles),
        probeStep(startedAt, throttles), histogramProbe("probe_target_25", bounds))).await(10, TimeUnit.SECONDS);

    assertThat(throttles).containsExactly("7ms/55/25", "7ms/55/25", "7ms/55/25");
    assertThat(bounds).as("histogram bounds of an ANALYZE in a step").containsExactly(26);
    assertThat(startedAt).hasSize(3);
    for (int i = 1; i < 3; i++) {
      assertThat(TimeUnit.NANOSECONDS.toMillis(startedAt.get(i) - startedAt.get(i - 1))).as("gap before step " + (i + 1))
          .isGreaterThanOrEqualTo(300);
    }
    // SET LOCAL: the pooled connection goes back to the server's defaults afterwards
    assertThat(queryString(db, "SELECT current_setting('vacuum_cost_delay')")).isEqualTo("0");
    assertThat(queryString(db, "SELECT current_setting('default_statistics_target')")).isEqualTo("100");
  }

  @Test
  void aStatisticsTargetOfZeroLeavesTheServersOwn() throws Exception {
    Leadership a = acquire("node-a", Duration.ofSeconds(30));
    var guards = new FencedRunner.StepGuards(Duration.ofMillis(200), Duration.ofMillis(2), 200, 0, Duration.ZERO);
    FencedRunner runner = new FencedRunner(vertx, pool, lease.name(), new LeaseTiming(Duration.ofSeconds(30)), guards, 1);
    List<String> throttles = new CopyOnWriteArrayList<>();
    List<Integer> bounds = new CopyOnWriteArrayList<>();

    runner.run(a, "schedule", List.of(probeStep(new CopyOnWriteArrayList<>(), throttles), histogramProbe("probe_target_0", bounds)))
        .await(10, TimeUnit.SECONDS);

    assertThat(throttles).containsExactly("2ms/200/100");
    assertThat(bounds).containsExactly(101);
  }

  @Test
  void aRunThatNeverGetsTheAdvisoryLockFailsAsALockNotHeldAndChangesNothing() throws Exception {
    Leadership a = acquire("node-a", Duration.ofSeconds(30));
    try (var other = db.connect()) {
      other.setAutoCommit(false);
      try (var st = other.createStatement()) {
        st.execute("SELECT pg_advisory_xact_lock(" + io.sagaz.fleet.core.maintenance.MaintenanceSql.ADVISORY_LOCK_KEY + ")");
      }
      Throwable err = catchThrowable(() -> runner(2).run(a, "api", createTable("probe_busy", 0)).await());

      assertThat(err).isInstanceOf(MaintenanceFailure.Busy.class).hasMessageContaining("advisory lock");
      assertThat(MaintenanceFailure.from(err).code()).as("423: a lock not held").isEqualTo(io.sagaz.fleet.core.failure.FailureCode.NOT_LEADER);
      assertThat(tableExists("probe_busy")).isFalse();
      other.rollback();
    }
  }

  @Test
  void expiredLeadersTransactionFailsAsFencedChangesNothingAndSaysSo() {
    Leadership a = acquire("node-a", Duration.ofSeconds(30));
    execute(db, "UPDATE sagaz_leases SET expires_at = now() - interval '1 second'");
    Leadership b = acquire("node-b", Duration.ofSeconds(30));
    assertThat(b.epoch()).isEqualTo(a.epoch() + 1);

    Throwable err = catchThrowable(() -> runner(3).run(a, "schedule", createTable("probe_stale", 0)).await());

    assertThat(err).isInstanceOf(MaintenanceFailure.Fenced.class);
    assertThat(tableExists("probe_stale")).isFalse();
    assertThat(queryString(db, "SELECT status FROM partition_maintenance_runs WHERE holder = 'node-a'")).isEqualTo("fenced");
    assertThat(queryLong(db, "SELECT count(*) FROM partition_maintenance_runs WHERE status = 'succeeded'")).isZero();
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("fenced").contains("node-a").contains("epoch=1"));
  }

  @Test
  void leaseThatRunsOutDuringTheWorkRollsTheWorkBack() {
    Leadership a = acquire("node-a", LEASE);
    Throwable err = catchThrowable(() -> runner(1).run(a, "schedule", createTable("probe_slow", 1.5)).await());

    assertThat(err).isInstanceOf(MaintenanceFailure.Fenced.class).hasMessageContaining("before commit");
    assertThat(tableExists("probe_slow")).isFalse();
  }

  @Test
  void successorWaitsForTheDeposedLeadersTransactionAndOnlyTheSuccessorCommits() throws Exception {
    Leadership a = acquire("node-a", LEASE);
    // node-a's run outlives its lease (as if paused); node-b takes the lease meanwhile and runs too.
    Future<FencedRunner.Outcome> runA = runner(1).run(a, "schedule", createTable("probe_a", 2.0));
    await("node-a's lease to expire", Duration.ofSeconds(5),
        () -> queryLong(db, "SELECT count(*) FROM sagaz_leases WHERE expires_at < now()") == 1);
    Leadership b = acquire("node-b", Duration.ofSeconds(30));
    FencedRunner.Outcome runB = runner(8).run(b, "schedule", createTable("probe_b", 0)).await(20, TimeUnit.SECONDS);

    assertThat(catchThrowable(() -> runA.await(20, TimeUnit.SECONDS))).isInstanceOf(MaintenanceFailure.Fenced.class);
    assertThat(runB.by().epoch()).isGreaterThan(a.epoch());
    assertThat(tableExists("probe_a")).isFalse();
    assertThat(tableExists("probe_b")).isTrue();
    assertThat(queryString(db, "SELECT string_agg(holder || ':' || epoch, ',') FROM partition_maintenance_runs WHERE status = 'succeeded'"))
        .isEqualTo("node-b:2");
    // node-b could not take the advisory lock while node-a's transaction was open, so it retried
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("will retry").contains("node-b"));
  }

  @Test
  void runDeposedBetweenStepsKeepsOnlyItsCommittedStepsAndEndsBeforeItsSuccessorStarts() {
    Leadership a = acquire("node-a", LEASE);
    Throwable err = catchThrowable(() -> runner(1).run(a, "schedule",
        List.of(createTable("probe_step1", 0), createTable("probe_step2", 1.5))).await());
    assertThat(err).isInstanceOf(MaintenanceFailure.Fenced.class);
    Leadership b = acquire("node-b", Duration.ofSeconds(30));
    runner(3).run(b, "schedule", createTable("probe_b2", 0)).await();

    assertThat(tableExists("probe_step1")).isTrue();
    assertThat(tableExists("probe_step2")).isFalse();
    assertThat(queryString(db, "SELECT status || '/' || (actions->0->>'table') || '/' || jsonb_array_length(actions)"
        + " FROM partition_maintenance_runs WHERE holder = 'node-a'")).isEqualTo("fenced/probe_step1/1");
    // the deposed run's interval ends at its last committed step, before the successor's run began
    assertThat(queryLong(db, "SELECT count(*) FROM partition_maintenance_runs x, partition_maintenance_runs y"
        + " WHERE x.holder = 'node-a' AND y.holder = 'node-b' AND x.finished_at < y.started_at")).isEqualTo(1);
  }
}
