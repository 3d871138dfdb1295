package io.sagaz.fleet.core.saga.sql;

/** DML on {@code saga_audit_log}. */
public final class SagaAuditLogSql {
  private SagaAuditLogSql() {}

  /**
   * A data-modifying CTE body inserting the audit rows in the jsonb array {@code $rows}
   * ({@code [{saga_id, n, step, event, from_status, to_status, detail}]}) for the sagas the CTE
   * {@code saga} returned (a saga whose write did not match gets none), in {@code n} order so every
   * saga's history keeps the order of its transitions.
   */
  static String insertBatchRowsFor(int rowsParam, int nodeParam) {
    return """
        INSERT INTO saga_audit_log (saga_id, saga_name, step, event, from_status, to_status, node_id, detail)
        SELECT saga.saga_id, saga.saga_name, a.step, a.event, a.from_status, a.to_status, $%d, coalesce(a.detail, '{}'::jsonb)
        FROM jsonb_to_recordset($%d::jsonb)
             AS a(saga_id uuid, n int, step text, event text, from_status text, to_status text, detail jsonb)
        JOIN saga ON saga.saga_id = a.saga_id
        ORDER BY a.n
        """.formatted(nodeParam, rowsParam);
  }

  /** The history of one saga, oldest first. $1 saga_id. */
  public static final String BY_SAGA = """
      SELECT step, event, from_status, to_status, node_id, detail, created_at
      FROM saga_audit_log
      WHERE saga_id = $1
      ORDER BY created_at, id
      """;
}
