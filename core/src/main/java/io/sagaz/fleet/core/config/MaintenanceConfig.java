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
 */
public record MaintenanceConfig(
    Duration interval,
    Duration leaseTimeout,
    Duration lockTimeout,
    int monthsAhead,
    int daysAhead,
    int executionsRetentionMonths,
    int outboxRetentionDays,
    int inboxRetentionDays) {
  public MaintenanceConfig {
    Check.positive("maintenance.interval", interval);
    Check.positive("maintenance.leaseTimeout", leaseTimeout);
    Check.positive("maintenance.lockTimeout", lockTimeout);
    Check.positive("maintenance.monthsAhead", monthsAhead);
    Check.positive("maintenance.daysAhead", daysAhead);
    Check.positive("maintenance.executionsRetentionMonths", executionsRetentionMonths);
    Check.positive("maintenance.outboxRetentionDays", outboxRetentionDays);
    Check.positive("maintenance.inboxRetentionDays", inboxRetentionDays);
  }
}
