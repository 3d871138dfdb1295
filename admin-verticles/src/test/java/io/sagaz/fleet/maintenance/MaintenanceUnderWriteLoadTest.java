package io.sagaz.fleet.maintenance;

import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.await;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.execute;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.pool;
import static io.sagaz.fleet.maintenance.MaintenanceTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagaz.fleet.core.config.MaintenanceConfig;
import io.sagaz.fleet.core.maintenance.LeaseSql;
import io.sagaz.fleet.core.maintenance.LeaseTiming;
import io.sagaz.fleet.core.maintenance.MaintenanceSql;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A maintenance run that creates about 40 partitions and drops 17 while writers insert into every
 * partitioned table. Each writer session runs with {@code lock_timeout = 100ms}: a write that waits
 * longer than that for a lock maintenance holds (or queues for) fails, and is counted. Wall-clock
 * latency is printed too, but on a shared two-core machine it also measures CPU starvation, so the
 * lock waits are what the test asserts. A control run of the same work in one transaction shows the
 * measurement catches blocking.
 */
class MaintenanceUnderWriteLoadTest {
  private static final String WRITER_LOCK_TIMEOUT = "100ms";
  private static final int WRITERS = 3;
  private static final MaintenanceConfig CONFIG =
      new MaintenanceConfig(Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofMillis(50), 6, 40, 12, 30, 90);

  private Vertx vertx;
  private TestDatabase db;
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final List<Thread> writers = new ArrayList<>();
  private final AtomicInteger lockTimeouts = new AtomicInteger();
  /** {start nanos, latency nanos} of every insert. */
  private final ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    db = PostgresFixture.shared().createMigratedDatabase();
    // Partitions past retention for the run to drop (empty outbox partitions hold nothing unsent).
    execute(db, "SELECT count(*) FROM create_partitions('saga_outbox', current_date - 45, current_date - 35)");
    for (String table : List.of("saga_executions", "saga_audit_log")) {
      execute(db, "SELECT count(*) FROM create_partitions('" + table + "', (current_date - interval '16 months')::date,"
          + " (current_date - interval '14 months')::date)");
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    writing.set(false);
    for (Thread t : writers) {
      t.join(5_000);
    }
    vertx.close().await();
    PostgresFixture.shared().drop(db);
  }

  @Test
  void runThatCreatesAndDropsDozensOfPartitionsNeverMakesAWriterWaitMoreThan100msForALock() throws Exception {
    long runFrom = startWritersAndWarmUp();
    vertx.deployVerticle(new MaintenanceVerticle("node-a", CONFIG, pool(vertx, db, 3), new SimpleMeterRegistry())).await();
    await("the run under load", Duration.ofSeconds(90),
        () -> queryLong(db, "SELECT count(*) FROM partition_maintenance_runs WHERE status = 'succeeded'") == 1);
    long runTo = System.nanoTime();
    report("short steps", runFrom, runTo);

    assertThat(actions("created")).isGreaterThanOrEqualTo(30);
    assertThat(actions("dropped")).isGreaterThanOrEqualTo(15);
    assertThat(writesBetween(runFrom, runTo)).isPositive();
    assertThat(lockTimeouts.get()).as("writes that waited more than " + WRITER_LOCK_TIMEOUT + " for a lock").isZero();
  }

  @Test
  void controlTheSameWorkInOneTransactionMakesWritersWait() throws Exception {
    long runFrom = startWritersAndWarmUp();
    LeaseStore lease = new LeaseStore(pool(vertx, db, 2), LeaseSql.MAINTENANCE_LEADER);
    Leadership held = lease.acquire("control", Duration.ofSeconds(60), Duration.ZERO).await().orElseThrow();
    FencedRunner oneTransaction = new FencedRunner(vertx, pool(vertx, db, 2), lease.name(),
        new LeaseTiming(Duration.ofSeconds(60)), FencedRunner.StepGuards.unpaced(Duration.ofSeconds(5)), 1);
    oneTransaction.run(held, "control", conn -> conn.preparedQuery(MaintenanceSql.MAINTAIN_ALL)
        .execute(Tuple.of(CONFIG.monthsAhead(), CONFIG.daysAhead(), CONFIG.executionsRetentionMonths(), CONFIG.outboxRetentionDays()))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("action", r.getString("action"))
              .put("table", r.getString("table_name")).put("partition", r.getString("partition_name"))));
          return out;
        })
        // Hold the transaction's locks 300 ms before commit, as a longer run would: on a fast, idle
        // machine the whole transaction can end within the writers' 100 ms lock timeout, and the
        // control must show, whatever the machine, that locks held to commit make writers wait.
        .compose(out -> conn.query("SELECT pg_sleep(0.3)").execute().map(out)))
        .await(90, TimeUnit.SECONDS);
    report("one transaction", runFrom, System.nanoTime());

    assertThat(actions("dropped")).isGreaterThanOrEqualTo(15);
    assertThat(lockTimeouts.get()).as("writes that waited more than " + WRITER_LOCK_TIMEOUT + " for a lock").isPositive();
  }

  private long startWritersAndWarmUp() throws InterruptedException {
    for (int i = 0; i < WRITERS; i++) {
      Thread t = new Thread(this::write, "writer-" + i);
      writers.add(t);
      t.start();
    }
    await("writers to warm up", Duration.ofSeconds(10), () -> samples.size() > 300);
    return System.nanoTime();
  }

  private void write() {
    try (Connection c = db.connect();
         PreparedStatement outbox = c.prepareStatement("INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload)"
             + " VALUES ('order', ?, 'created', 'orders', '{}')");
         PreparedStatement saga = c.prepareStatement("INSERT INTO saga_executions (saga_name, status) VALUES ('load', 'PENDING')");
         PreparedStatement audit = c.prepareStatement("INSERT INTO saga_audit_log (saga_id, event) VALUES (gen_random_uuid(), 'load')")) {
      c.createStatement().execute("SET lock_timeout = '" + WRITER_LOCK_TIMEOUT + "'");
      long n = 0;
      while (writing.get()) {
        PreparedStatement st = switch ((int) (n++ % 3)) {
          case 0 -> outbox;
          case 1 -> saga;
          default -> audit;
        };
        if (st == outbox) {
          outbox.setString(1, Long.toString(n));
        }
        long t0 = System.nanoTime();
        try {
          st.executeUpdate();
        } catch (SQLException e) {
          if (!"55P03".equals(e.getSQLState())) {
            throw e;
          }
          lockTimeouts.incrementAndGet();
        }
        samples.add(new long[] {t0, System.nanoTime() - t0});
      }
    } catch (Exception e) {
      if (writing.get()) {
        throw new IllegalStateException(e);
      }
    }
  }

  private long actions(String action) {
    return queryLong(db, "SELECT count(*) FROM partition_maintenance_runs r, jsonb_array_elements(r.actions) a"
        + " WHERE a->>'action' = '" + action + "'");
  }

  private long writesBetween(long from, long to) {
    return samples.stream().filter(s -> s[0] >= from && s[0] <= to).count();
  }

  private void report(String how, long from, long to) {
    long[] latencies = samples.stream().filter(s -> s[0] >= from && s[0] <= to).mapToLong(s -> s[1]).sorted().toArray();
    long p99 = latencies.length == 0 ? 0 : latencies[(int) (latencies.length * 0.99)];
    long max = latencies.length == 0 ? 0 : latencies[latencies.length - 1];
    System.out.printf("%s: %d writes in %d ms, p99 %.1f ms, max %.1f ms, %d lock waits over %s%n", how, latencies.length,
        TimeUnit.NANOSECONDS.toMillis(to - from), p99 / 1e6, max / 1e6, lockTimeouts.get(), WRITER_LOCK_TIMEOUT);
  }
}
