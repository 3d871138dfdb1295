package io.sagaz.fleet.core.maintenance;

/**
 * SQL text for partition maintenance: the run log {@code partition_maintenance_runs}, the partition
 * functions of the schema (design.md section 3), and the transaction guards every fenced maintenance
 * transaction starts with.
 */
public final class MaintenanceSql {
  private MaintenanceSql() {}

  /**
   * The key of the transaction-scoped advisory lock that serialises maintenance DDL across the
   * cluster: a second transaction cannot run maintenance beside one that holds it, whoever thinks
   * it leads. The value is arbitrary but must never change (it is {@code 'sagaz:maintenance'} as
   * bytes).
   */
  public static final long ADVISORY_LOCK_KEY = 0x7361_6761_7a3a_6d61L;

  /**
   * Transaction-local guards: {@code $1} lock_timeout, {@code $2} idle_in_transaction_session_timeout,
   * {@code $3} statement_timeout, each as a PostgreSQL duration text such as {@code '250ms'}. The
   * idle timeout makes the server abort the transaction of a leader that is paused mid-run (SIGSTOP,
   * GC), so its locks go and its work cannot commit later. {@code $4} vacuum_cost_delay (duration text)
   * and {@code $5} vacuum_cost_limit (integer text) throttle the ANALYZE a step runs, which otherwise
   * takes a core flat out and leaves writers short of CPU.
   */
  public static final String SET_GUARDS = """
      SELECT set_config('lock_timeout', $1, true),
             set_config('idle_in_transaction_session_timeout', $2, true),
             set_config('statement_timeout', $3, true),
             set_config('vacuum_cost_delay', $4, true),
             set_config('vacuum_cost_limit', $5, true),
             set_config('default_statistics_target', coalesce(nullif($6, '0'), current_setting('default_statistics_target')), true)
      """;

  /** {@code $1} the lock key; true when taken. Released by commit or rollback. */
  public static final String TRY_ADVISORY_XACT_LOCK = "SELECT pg_try_advisory_xact_lock($1) AS locked";

  /** Starts a run row: {@code $1} holder, {@code $2} epoch, {@code $3} trigger. Returns id, started_at. */
  public static final String INSERT_RUN = """
      INSERT INTO partition_maintenance_runs (holder, epoch, trigger, started_at, status)
      VALUES ($1, $2, $3, clock_timestamp(), 'running')
      RETURNING id, started_at
      """;

  /**
   * Records a committed step of a run, inside the step's transaction: {@code $1} id, {@code $2} status
   * ({@code running}, or {@code succeeded} for the last step), {@code $3} the step's actions (jsonb).
   * {@code finished_at} is thus always the commit time of the run's last committed work.
   */
  public static final String STEP_DONE = """
      UPDATE partition_maintenance_runs
         SET finished_at = clock_timestamp(), status = $2, actions = actions || $3::jsonb
       WHERE id = $1
      """;

  /**
   * Marks a run that stopped part-way ({@code fenced} or {@code failed}), outside the rolled-back step:
   * {@code $1} id, {@code $2} status, {@code $3} error. {@code finished_at} keeps the time of its last
   * committed step (or its start), so the log never shows work after the lease was lost.
   */
  public static final String MARK_RUN = """
      UPDATE partition_maintenance_runs
         SET status = $2, error = $3, finished_at = coalesce(finished_at, started_at)
       WHERE id = $1
      """;

  /**
   * Closes runs of older epochs that were left {@code running} (their node died mid-run), inside the
   * new leader's first step: {@code $1} the current epoch.
   */
  public static final String ABANDON_OLDER_RUNS = """
      UPDATE partition_maintenance_runs
         SET status = 'failed', error = 'abandoned: its holder lost the lease mid-run',
             finished_at = coalesce(finished_at, started_at)
       WHERE status = 'running' AND epoch < $1
      """;

  /**
   * Records an attempt refused before any work (fenced or failed in its first step), outside the
   * rolled-back transaction: {@code $1} holder, {@code $2} epoch, {@code $3} trigger, {@code $4} status,
   * {@code $5} error. It did nothing, so it starts and finishes at the same instant.
   */
  public static final String INSERT_REFUSED_RUN = """
      INSERT INTO partition_maintenance_runs (holder, epoch, trigger, started_at, finished_at, status, error)
      VALUES ($1, $2, $3, clock_timestamp(), clock_timestamp(), $4, $5)
      RETURNING id
      """;

  /**
   * Full maintenance: {@code $1} months ahead, {@code $2} days ahead, {@code $3} executions retention
   * months, {@code $4} outbox retention days. One row per action.
   */
  public static final String MAINTAIN_ALL = """
      SELECT action, table_name, partition_name, detail
        FROM maintain_all_partitions($1::int, $2::int, $3::int, $4::int)
      """;

  /** {@code $1} table, {@code $2} from date, {@code $3} to date. One row per action. */
  public static final String CREATE_PARTITIONS = """
      SELECT action, table_name, partition_name, detail
        FROM create_partitions($1::text, $2::date, $3::date)
      """;

  /** {@code $1} table, {@code $2} cutoff date. One row per action; unsent outbox rows are kept. */
  public static final String DROP_PARTITIONS_OLDER_THAN = """
      SELECT action, table_name, partition_name, detail
        FROM drop_partitions_older_than($1::text, $2::date)
      """;

  /** {@code $1} days to keep. Returns {@code deleted}. */
  public static final String CLEANUP_INBOX = "SELECT cleanup_consumer_inbox($1::int) AS deleted";

  /** Per partition: table, name, range, default flag, estimated rows, DEFAULT row count, size. */
  public static final String PARTITION_STATISTICS = """
      SELECT table_name, partition_name, range_from, range_to, is_default,
             estimated_rows, row_count, total_bytes
        FROM get_partition_statistics()
      """;
}
