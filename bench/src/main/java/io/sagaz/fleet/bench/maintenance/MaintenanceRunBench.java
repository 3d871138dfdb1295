package io.sagaz.fleet.bench.maintenance;

import io.sagaz.fleet.core.partition.PartitionedTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long a full {@code maintain_all_partitions()} run takes over the seed partition sets (15 monthly
 * partitions for each monthly table, 37 daily outbox partitions), idle and under a steady write load
 * at 80% of what the writers can do, and what the run does to the writers: their p99 latency in the
 * second before each run against their p99 during it (the ratio), and the longest stretch in which
 * no writer finished anything.
 *
 * <p>Goals (issue 5): a run in at most 2 s idle and 5 s under load (seed: under 10 s); the writers'
 * p99 during a run at most 2x their p99 without one; writers never held up more than 100 ms.
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp bench/target/classes:$(cat bench/target/cp.txt) io.sagaz.fleet.bench.maintenance.MaintenanceRunBench [runs] [writers]
 * </pre>
 * {@code -Dbench.steps=true} also prints, for each run under load, each step's duration and what the
 * writers due during it and during the pause after it saw; {@code -Dbench.perRun=true} each run's own
 * writer p99 before and during it (how noisy the control windows were).
 *
 * <p>Runs on {@code SAGAZ_BENCH_PG_URL} ({@code postgresql://user@host:port/postgres}; a scratch database
 * is created and dropped) or, when unset, on an embedded PostgreSQL 17.
 */
public final class MaintenanceRunBench {
  private static final int ROWS_PER_PARTITION = 2_000;
  private static final double LOAD_FRACTION = 0.8;
  private static final boolean AS_FUNCTION = "function".equals(System.getProperty("bench.run", "node"));
  private static final boolean STEPS = Boolean.getBoolean("bench.steps");
  private static final boolean PER_RUN = Boolean.getBoolean("bench.perRun");

  private final BenchDatabase bench;
  private final Connection connection;
  private final SeedPartitionSet seed = new SeedPartitionSet(ROWS_PER_PARTITION);
  private final LocalDate today;
  private final int runs;
  private final int writers;
  private NodeMaintenanceRun lastRun;

  private MaintenanceRunBench(BenchDatabase bench, Connection connection, int runs, int writers) throws SQLException {
    this.bench = bench;
    this.connection = connection;
    this.runs = runs;
    this.writers = writers;
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT (now() AT TIME ZONE 'UTC')::date")) {
      rs.next();
      this.today = rs.getDate(1).toLocalDate();
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int writers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    try (BenchDatabase bench = BenchDatabase.create(); Connection c = bench.database().connect()) {
      MaintenanceRunBench b = new MaintenanceRunBench(bench, c, runs, writers);
      b.seed.reset(c, b.today);
      System.out.printf(Locale.ROOT, (AS_FUNCTION ? "one maintain_all_partitions() call" : "the maintenance leader's run (short transactions)")
          + " on %s: %d + %d monthly partitions, %d daily outbox partitions, %,d rows each%n",
          bench.description(), SeedPartitionSet.size(PartitionedTable.SAGA_EXECUTIONS),
          SeedPartitionSet.size(PartitionedTable.SAGA_AUDIT_LOG), SeedPartitionSet.size(PartitionedTable.SAGA_OUTBOX),
          ROWS_PER_PARTITION);
      b.printAutovacuum();
      b.idle();
      b.underLoad(b.capacity());
    }
  }

  /**
   * Whether the server's autovacuum keeps the partitions' statistics; where it does not, the run
   * analyzes the ones gone stale itself (migration V42), and under this benchmark's writers that is
   * every run: they change a tenth of the current partitions within seconds.
   */
  private void printAutovacuum() throws SQLException {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW autovacuum")) {
      rs.next();
      System.out.printf(Locale.ROOT, "autovacuum: %s%n", "on".equals(rs.getString(1))
          ? "on (statistics are autovacuum's: a run analyzes only partitions never analyzed)"
          : "off on this server (a run analyzes the partitions whose statistics went stale, as autovacuum would)");
    }
  }

  private void idle() throws SQLException {
    double[] millis = new double[runs];
    Map<String, Integer> actions = new TreeMap<>();
    for (int i = 0; i < runs; i++) {
      seed.reset(connection, today);
      long t0 = System.nanoTime();
      actions = maintain();
      millis[i] = (System.nanoTime() - t0) / 1e6;
    }
    System.out.printf(Locale.ROOT, "one run does: %s%n", actions);
    System.out.printf(Locale.ROOT, "idle:       median %.1f ms, max %.1f ms over %d runs (goal <= 2000 ms)%n",
        median(millis), max(millis), runs);
  }

  /** Transactions per second the writers manage flat out. */
  private double capacity() throws Exception {
    seed.reset(connection, today);
    try (PacedWriters flat = new PacedWriters(bench.database(), writers, 0)) {
      Thread.sleep(1_000);
      long n0 = flat.completed();
      long t0 = System.nanoTime();
      Thread.sleep(3_000);
      double capacity = (flat.completed() - n0) / ((System.nanoTime() - t0) / 1e9);
      System.out.printf(Locale.ROOT, "writers:    %d threads, capacity %.0f tx/s (3 inserts each), load %.0f tx/s (%.0f%%)%n",
          writers, capacity, capacity * LOAD_FRACTION, LOAD_FRACTION * 100);
      return capacity;
    }
  }

  private void underLoad(double capacity) throws Exception {
    double[] millis = new double[runs];
    double[] stallsBefore = new double[runs];
    double[] stallsDuring = new double[runs];
    List<long[]> control = new ArrayList<>();
    List<long[]> during = new ArrayList<>();
    Map<String, Integer> actions = new TreeMap<>();
    PacedWriters load = steadyLoad(capacity * LOAD_FRACTION);
    try {
      for (int i = 0; i < runs; i++) {
        seed.reset(connection, today);
        // Writers drain whatever the reset's DDL held up before anything is measured; if they cannot
        // (the shared machine lost capacity), the load is restarted 15% lower.
        while (!load.awaitCaughtUp(20, 5_000)) {
          load.close();
          load = steadyLoad(load.rate() * 0.85);
        }
        Thread.sleep(200);
        long c0 = System.nanoTime();
        Thread.sleep(1_000); // control window: same load, no maintenance
        long t0 = System.nanoTime();
        maintain().forEach((action, n) -> actions.merge(action, n, Integer::sum));
        long t1 = System.nanoTime();
        millis[i] = (t1 - t0) / 1e6;
        Thread.sleep(300);
        control.add(load.latencies(c0, t0));
        during.add(load.latencies(t0, t1));
        stallsBefore[i] = load.longestStall(c0, t0) / 1e6;
        stallsDuring[i] = load.longestStall(t0, t1) / 1e6;
        if (PER_RUN) {
          long[] cw = control.get(i);
          long[] dw = during.get(i);
          System.out.printf(Locale.ROOT, "  run %d: %.0f ms, writers' p99 %.1f ms before, %.1f ms during; max %.1f / %.1f ms%n", i, millis[i],
              percentile(cw, 0.99) / 1e6, percentile(dw, 0.99) / 1e6, percentile(cw, 1.0) / 1e6, percentile(dw, 1.0) / 1e6);
        }
        if (STEPS && lastRun != null) {
          printSteps(load, t0, t1);
        }
      }
    } finally {
      load.close();
    }
    long[] base = control.stream().flatMapToLong(Arrays::stream).toArray();
    long[] all = during.stream().flatMapToLong(Arrays::stream).toArray();
    double p99Base = percentile(base, 0.99) / 1e6;
    double p99During = percentile(all, 0.99) / 1e6;
    System.out.printf(Locale.ROOT, "load:       %.0f tx/s at the end (%.0f%% of the capacity measured at the start)%n",
        load.rate(), 100 * load.rate() / capacity);
    System.out.printf(Locale.ROOT, "under load: median %.1f ms, max %.1f ms over %d runs (goal <= 5000 ms); all runs did %s%n",
        median(millis), max(millis), runs, actions);
    System.out.printf(Locale.ROOT, "writer p99: %.2f ms in 1 s before each run (%d tx), %.2f ms during the runs (%d tx): ratio %.2fx (goal <= 2x)%n",
        p99Base, base.length, p99During, all.length, p99During / p99Base);
    System.out.printf(Locale.ROOT, "writer p50: %.2f ms before, %.2f ms during; max: %.2f ms before, %.2f ms during%n",
        percentile(base, 0.5) / 1e6, percentile(all, 0.5) / 1e6, percentile(base, 1.0) / 1e6, percentile(all, 1.0) / 1e6);
    System.out.printf(Locale.ROOT, "longest writer stall per window: median %.1f ms / max %.1f ms before, median %.1f ms / max %.1f ms during (goal <= 100 ms)%n",
        median(stallsBefore), max(stallsBefore), median(stallsDuring), max(stallsDuring));
  }

  /**
   * Writers at {@code rate}, backing off 10% at a time until they keep up with it for 2 s (on a shared
   * machine the capacity measured a moment ago may no longer be there); a load the writers cannot hold
   * would measure their backlog, not the maintenance run.
   */
  private PacedWriters steadyLoad(double rate) throws Exception {
    for (int attempt = 0; ; attempt++) {
      PacedWriters load = new PacedWriters(bench.database(), writers, rate);
      Thread.sleep(1_000);
      long t0 = System.nanoTime();
      Thread.sleep(2_000);
      double achieved = load.latencies(t0, System.nanoTime() - 50_000_000L).length / 1.95;
      if ((achieved >= 0.97 * rate && load.awaitCaughtUp(20, 0)) || attempt == 8) {
        return load;
      }
      load.close();
      rate *= 0.9;
    }
  }

  /**
   * {@code -Dbench.run=node} (the default): the run as the maintenance leader does it, in short
   * transactions ({@link NodeMaintenanceRun}); {@code -Dbench.run=function}: one
   * {@code maintain_all_partitions()} call, one transaction, as the seed's CronJob would.
   */
  private Map<String, Integer> maintain() throws SQLException {
    if (!AS_FUNCTION) {
      lastRun = new NodeMaintenanceRun(connection);
      return lastRun.run(today);
    }
    Map<String, Integer> actions = new TreeMap<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM maintain_all_partitions()")) {
      while (rs.next()) {
        actions.merge(rs.getString("action"), 1, Integer::sum);
      }
    }
    return actions;
  }

  /** -Dbench.steps=true: what the writers due during each step, and during the pause after it, saw. */
  private void printSteps(PacedWriters load, long t0, long t1) {
    List<Object[]> steps = lastRun.steps;
    for (int k = 0; k < steps.size(); k++) {
      long s = (Long) steps.get(k)[1];
      long e = (Long) steps.get(k)[2];
      long next = k + 1 < steps.size() ? (Long) steps.get(k + 1)[1] : t1;
      long[] in = load.latencies(s, e);
      long[] after = load.latencies(e, next);
      System.out.printf(Locale.ROOT, "  +%4.0f ms %5.1f ms %-60s writers p50/max %5.1f/%5.1f ms; pause after %4.0f ms p50/max %5.1f/%5.1f ms%n",
          (s - t0) / 1e6, (e - s) / 1e6, steps.get(k)[0], percentile(in, 0.5) / 1e6, percentile(in, 1.0) / 1e6,
          (next - e) / 1e6, percentile(after, 0.5) / 1e6, percentile(after, 1.0) / 1e6);
    }
  }

  private static double percentile(long[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }
}
