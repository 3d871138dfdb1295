package io.sagaz.fleet.core.config;

import java.time.Duration;

/**
 * Partition maintenance by the one leader (design.md sections 3 and 7).
 *
 * @param interval              time between scheduled runs
 * @param leaseTimeout          leader lease duration in PostgreSQL; renewed at a third of it
 * @param lockTimeout           {@code lock_timeout} for maintenance DDL
 * @param monthsAhead           monthly partitions created ahead
 * @param daysAhead             daily outbox partitions created ahead
 * @param executionsRetentionMonths saga_executions / saga_audit_log retention
 * @param outboxRetentionDays   saga_outbox retention
 * @param inboxRetentionDays    consumer_inbox retention
 * @param stepPause             pause between the steps (short transactions) of the leader's run, so
 *                              writers drain what a step held up before the next one starts
 * @param analyzeCostDelay      {@code vacuum_cost_delay} for the run's ANALYZE: it sleeps this long
 *                              each time it has read {@code analyzeCostLimit} cost units (0: no sleep)
 * @param analyzeCostLimit      {@code vacuum_cost_limit} for the run's ANALYZE
 * @param analyzeStatisticsTarget {@code default_statistics_target} for the run's ANALYZE (0: the
 *                              server's): its sample is 300 rows per unit, so 10 reads a tenth of
 *                              what PostgreSQL's default of 100 does; a column's own target still wins
 */
public record MaintenanceConfig(
    Duration interval,
    Duration leaseTimeout,
    Duration lockTimeout,
    int monthsAhead,
    int daysAhead,
    int executionsRetentionMonths,
    int outboxRetentionDays,
    int inboxRetentionDays,
    Duration stepPause,
    Duration analyzeCostDelay,
    int analyzeCostLimit,
    int analyzeStatisticsTarget) {
  public static final Duration DEFAULT_STEP_PAUSE = Duration.ofMillis(100);
  public static final Duration DEFAULT_ANALYZE_COST_DELAY = Duration.ofMillis(2);
  /**
   * A quarter of autovacuum's 200: on cached pages ANALYZE spends far more CPU per page than its
   * one-unit cost, so at 200 it slept 2 ms only every 200 pages and ran almost flat out beside the
   * writers (docs/decisions.md, "ANALYZE at a quarter of autovacuum's pace").
   */
  public static final int DEFAULT_ANALYZE_COST_LIMIT = 50;
  /**
   * Coarse statistics, cheaply: a run analyzes a partition only where autovacuum leaves it without
   * statistics (never analyzed, or autovacuum off), and a 3,000-row sample is plenty for the columns
   * this fleet's queries filter on, while a 30,000-row one took 100-120 ms of a core per partition
   * from the writers (docs/decisions.md, "A cheaper ANALYZE").
   */
  public static final int DEFAULT_ANALYZE_STATISTICS_TARGET = 10;

  public MaintenanceConfig {
    Check.positive("maintenance.interval", interval);
    Check.positive("maintenance.leaseTimeout", leaseTimeout);
    Check.positive("maintenance.lockTimeout", lockTimeout);
    Check.positive("maintenance.monthsAhead", monthsAhead);
    Check.positive("maintenance.daysAhead", daysAhead);
    Check.positive("maintenance.executionsRetentionMonths", executionsRetentionMonths);
    Check.positive("maintenance.outboxRetentionDays", outboxRetentionDays);
    Check.positive("maintenance.inboxRetentionDays", inboxRetentionDays);
    Check.between("maintenance.stepPause", stepPause, Duration.ZERO, Duration.ofMinutes(1));
    // PostgreSQL's own bounds for vacuum_cost_delay and vacuum_cost_limit
    Check.between("maintenance.analyzeCostDelay", analyzeCostDelay, Duration.ZERO, Duration.ofMillis(100));
    Check.between("maintenance.analyzeCostLimit", analyzeCostLimit, 1, 10_000);
    Check.between("maintenance.analyzeStatisticsTarget", analyzeStatisticsTarget, 0, 10_000);
  }

  /**
   * With the default pacing: {@link #DEFAULT_STEP_PAUSE}, {@link #DEFAULT_ANALYZE_COST_DELAY},
   * {@link #DEFAULT_ANALYZE_COST_LIMIT}, {@link #DEFAULT_ANALYZE_STATISTICS_TARGET}.
   */
  public MaintenanceConfig(Duration interval, Duration leaseTimeout, Duration lockTimeout, int monthsAhead, int daysAhead,
      int executionsRetentionMonths, int outboxRetentionDays, int inboxRetentionDays) {
    this(interval, leaseTimeout, lockTimeout, monthsAhead, daysAhead, executionsRetentionMonths, outboxRetentionDays,
        inboxRetentionDays, DEFAULT_STEP_PAUSE, DEFAULT_ANALYZE_COST_DELAY, DEFAULT_ANALYZE_COST_LIMIT,
        DEFAULT_ANALYZE_STATISTICS_TARGET);
  }
}
