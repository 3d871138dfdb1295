package io.sagaz.fleet.core.saga.sql;

/**
 * DML on {@code saga_executions} (and {@code saga_idempotency_keys}).
 *
 * <p>A transition is one statement: the saga row update with its optimistic check on
 * {@code row_version}, plus the audit rows and outbox rows it produced as data-modifying CTEs that
 * only write when the update matched. One statement is one transaction and one round trip.
 */
public final class SagaExecutionSql {
  private SagaExecutionSql() {}

  private static final String ACTIVE = "('PENDING', 'EXECUTING', 'COMPENSATING')";

  /**
   * Starts a batch of sagas. $1 node, $2 sagas {@code [{saga_id, saga_name, saga_version,
   * idempotency_key, created_at, status, input, context, steps, deadline_at}]}, $3 lease millis,
   * $4 audit rows, $5 outbox rows (as in {@link #TRANSITION_BATCH}). Returns the saga_ids created:
   * a saga missing from the answer had an idempotency key that was already taken (by an earlier
   * start, or by another start in the same batch), and the caller looks the key's saga up.
   * Keys are claimed in key order so two batches sharing keys cannot deadlock.
   */
  public static final String INSERT_BATCH = """
      WITH input AS (
        SELECT * FROM jsonb_to_recordset($2::jsonb) AS i(saga_id uuid, saga_name text, saga_version int,
          idempotency_key text, created_at timestamptz, status text, input jsonb, context jsonb, steps jsonb,
          deadline_at timestamptz)
      ), idem AS (
        INSERT INTO saga_idempotency_keys (saga_name, idempotency_key, saga_id, saga_created_at)
        SELECT saga_name, idempotency_key, saga_id, created_at FROM input
        WHERE idempotency_key IS NOT NULL
        ORDER BY saga_name, idempotency_key
        ON CONFLICT DO NOTHING
        RETURNING saga_id
      ), saga AS (
        INSERT INTO saga_executions (saga_id, saga_name, saga_version, status, idempotency_key, input, context, steps,
                                     owner_node, lease_until, lease_epoch, deadline_at, row_version, created_at, updated_at)
        SELECT i.saga_id, i.saga_name, i.saga_version, i.status, i.idempotency_key, i.input, i.context, i.steps,
               $1, now() + $3::bigint * interval '1 millisecond', 1, i.deadline_at, 1, i.created_at, now()
        FROM input i
        WHERE i.idempotency_key IS NULL OR i.saga_id IN (SELECT saga_id FROM idem)
        RETURNING saga_id, saga_name
      ), audit AS (
      """ + SagaAuditLogSql.insertBatchRowsFor(4, 1) + """
      ), outbox AS (
      """ + SagaOutboxSql.insertBatchRowsFor(5) + """
      )
      SELECT saga_id FROM saga
      """;

  /**
   * Persists the transitions of a batch of sagas in one statement (one transaction, one round trip,
   * one commit). $1 node, $2 sagas {@code [{saga_id, created_at, row_version (expected), status,
   * context, steps, error, deadline_at, completed_at, active}]}, $3 audit rows {@code [{saga_id, n,
   * step, event, from_status, to_status, detail}]}, $4 outbox rows {@code [{saga_id, n, event_type,
   * payload}]}. Returns the saga_ids written; a saga missing from the answer moved on (another node
   * took it over, so its row_version or owner no longer match) and none of its rows were written.
   *
   * <p>Rows are locked in saga_id order first, as {@link #RENEW} and {@link #RELEASE} do, so batches
   * and lease renewals touching the same sagas cannot deadlock. The lease is left alone while the
   * saga runs (the periodic renewal extends it) and cleared when it ends: no indexed column changes
   * on a step transition, so PostgreSQL can update the row in place (HOT).
   */
  public static final String TRANSITION_BATCH = """
      WITH input AS (
        SELECT * FROM jsonb_to_recordset($2::jsonb) AS i(saga_id uuid, created_at timestamptz, row_version bigint,
          status text, context jsonb, steps jsonb, error text, deadline_at timestamptz, completed_at timestamptz, active boolean)
      ), locked AS MATERIALIZED (
        SELECT s.saga_id, s.created_at FROM saga_executions s
        JOIN input i ON s.saga_id = i.saga_id AND s.created_at = i.created_at
        ORDER BY s.saga_id
        FOR UPDATE OF s
      ), saga AS (
        UPDATE saga_executions s
        SET status = i.status, context = i.context, steps = i.steps, error = i.error, deadline_at = i.deadline_at,
            completed_at = i.completed_at, lease_until = CASE WHEN i.active THEN s.lease_until END,
            row_version = s.row_version + 1, updated_at = now()
        FROM input i, locked l
        WHERE s.saga_id = i.saga_id AND s.created_at = i.created_at
          AND l.saga_id = i.saga_id AND l.created_at = i.created_at
          AND s.row_version = i.row_version AND s.owner_node = $1
        RETURNING s.saga_id, s.saga_name
      ), audit AS (
      """ + SagaAuditLogSql.insertBatchRowsFor(3, 1) + """
      ), outbox AS (
      """ + SagaOutboxSql.insertBatchRowsFor(4) + """
      )
      SELECT saga_id FROM saga
      """;

  private static final String COLUMNS = """
      saga_id, saga_name, saga_version, status, idempotency_key, input, context, steps, error, owner_node,
      lease_until, lease_epoch, deadline_at, row_version, created_at, updated_at, completed_at""";

  /** One saga by id. $1 saga_id. */
  public static final String BY_ID = "SELECT " + COLUMNS + " FROM saga_executions WHERE saga_id = $1";

  /** The saga an idempotency key started. $1 saga_name, $2 key. */
  public static final String BY_IDEMPOTENCY_KEY = """
      SELECT e.saga_id, e.status
      FROM saga_idempotency_keys k
      JOIN saga_executions e ON e.saga_id = k.saga_id AND e.created_at = k.saga_created_at
      WHERE k.saga_name = $1 AND k.idempotency_key = $2
      """;

  /**
   * Takes one saga over, whoever held it: bumps the epoch and row_version so the previous owner's
   * next write fails. $1 saga_id, $2 created_at, $3 expected row_version, $4 node, $5 lease millis.
   */
  public static final String CLAIM = """
      UPDATE saga_executions
      SET owner_node = $4, lease_until = now() + $5::bigint * interval '1 millisecond',
          lease_epoch = lease_epoch + 1, row_version = row_version + 1, updated_at = now()
      WHERE saga_id = $1 AND created_at = $2 AND row_version = $3
      RETURNING row_version
      """;

  /**
   * Claims unfinished sagas whose lease ran out (and, with $4, those this node owned before it
   * restarted). $1 node, $2 lease millis, $3 saga names this node can run, $4 include own,
   * $5 batch size, $6 the sagas this node runs already (a renewal held up behind a busy pool must
   * not make a node take its own sagas over from itself). SKIP LOCKED lets several nodes recover side by side without waiting on each other.
   */
  public static final String RECOVER = """
      UPDATE saga_executions s
      SET owner_node = $1, lease_until = now() + $2::bigint * interval '1 millisecond',
          lease_epoch = s.lease_epoch + 1, row_version = s.row_version + 1, updated_at = now()
      FROM (
        SELECT saga_id, created_at FROM saga_executions
        WHERE status IN\s""" + ACTIVE + """
          AND saga_name = ANY($3)
          AND (lease_until IS NULL OR lease_until < now() OR ($4 AND owner_node = $1))
          AND NOT (saga_id = ANY($6))
        ORDER BY lease_until NULLS FIRST
        LIMIT $5
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE s.saga_id = due.saga_id AND s.created_at = due.created_at
      RETURNING\s""" + COLUMNS.replaceAll("(\\w+)", "s.$1") + """
      """;

  /**
   * Extends the leases of the sagas this node runs. $1 node, $2 lease millis, $3 saga ids. Returns
   * the ids still held. Locks in saga_id order, like {@link #TRANSITION_BATCH}.
   */
  public static final String RENEW = """
      UPDATE saga_executions s
      SET lease_until = now() + $2::bigint * interval '1 millisecond'
      FROM (
        SELECT saga_id, created_at FROM saga_executions
        WHERE owner_node = $1 AND saga_id = ANY($3) AND status IN\s""" + ACTIVE + """

        ORDER BY saga_id
        FOR UPDATE
      ) held
      WHERE s.saga_id = held.saga_id AND s.created_at = held.created_at
      RETURNING s.saga_id
      """;

  /**
   * Ends this node's leases on a graceful stop so another node resumes the sagas at its next
   * recovery pass instead of after the lease timeout. $1 node, $2 saga ids.
   */
  public static final String RELEASE = """
      UPDATE saga_executions s SET lease_until = now()
      FROM (
        SELECT saga_id, created_at FROM saga_executions
        WHERE owner_node = $1 AND saga_id = ANY($2) AND lease_until > now()
        ORDER BY saga_id
        FOR UPDATE
      ) held
      WHERE s.saga_id = held.saga_id AND s.created_at = held.created_at
      """;

  /** A page of sagas, newest first. $1 status or null, $2 saga_name or null, $3 limit. */
  public static final String LIST = """
      SELECT saga_id, saga_name, saga_version, status, error, owner_node, created_at, updated_at, completed_at
      FROM saga_executions
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR saga_name = $2)
      ORDER BY created_at DESC
      LIMIT $3
      """;
}
