package io.sagaz.fleet.admin.sql;

/** Queries on PostgreSQL's statistics views (pg_stat_activity, pg_stat_replication) for the admin API. */
public final class PgStatSql {
  private PgStatSql() {}

  /**
   * This node's server sessions by state. Sessions are matched on the pool's own application_name, so
   * the app must give each node's pool a distinct one (e.g. {@code sagaz-<node.id>}) for this to count
   * only this node.
   */
  public static final String SESSIONS_BY_STATE = """
      SELECT current_setting('application_name') AS "applicationName",
             coalesce(state, 'unknown') AS state,
             count(*)::int AS sessions
      FROM pg_stat_activity
      WHERE datname = current_database()
        AND application_name = current_setting('application_name')
      GROUP BY state
      ORDER BY state""";

  public static final String IN_RECOVERY = "SELECT pg_is_in_recovery() AS \"inRecovery\"";

  /**
   * One row per standby streaming from this server. pg_current_wal_lsn() fails on a standby, so the
   * byte lag is only computed on a primary (CASE evaluates its branches lazily).
   */
  public static final String REPLICAS = """
      SELECT application_name AS "applicationName",
             client_addr::text AS "clientAddr",
             state,
             sync_state AS "syncState",
             sent_lsn::text AS "sentLsn",
             replay_lsn::text AS "replayLsn",
             CASE WHEN pg_is_in_recovery() THEN NULL
                  ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint END AS "replayLagBytes",
             extract(epoch FROM replay_lag)::float8 AS "replayLagSeconds"
      FROM pg_stat_replication
      ORDER BY application_name, client_addr""";

  /**
   * Replay lag per standby for {@code sagaz_postgres_replication_lag_seconds}. PostgreSQL shows a NULL
   * replay_lag once a standby has caught up and no WAL is flowing: that is no lag.
   */
  public static final String REPLICATION_LAG = """
      SELECT application_name AS "applicationName",
             client_addr::text AS "clientAddr",
             client_port AS "clientPort",
             coalesce(extract(epoch FROM replay_lag), 0)::float8 AS "lagSeconds"
      FROM pg_stat_replication
      ORDER BY application_name, client_addr, client_port""";
}
