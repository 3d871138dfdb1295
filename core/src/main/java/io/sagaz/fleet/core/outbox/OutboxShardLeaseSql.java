package io.sagaz.fleet.core.outbox;

/**
 * The ordered outbox's shard leases in {@code sagaz_leases} (rows {@code outbox-shard-<n>}). Each
 * acquisition by a new holder raises the epoch; a lease is taken only when free or expired, so two
 * holders never hold one shard at once as far as PostgreSQL is concerned.
 */
public final class OutboxShardLeaseSql {
  private OutboxShardLeaseSql() {}

  /**
   * Takes or renews the named leases for holder $2 for $3 ms. $1 text[] lease names. Returns the
   * leases now held with their epochs; a lease held by someone else and not yet expired is skipped.
   */
  public static final String ACQUIRE = """
      INSERT INTO sagaz_leases AS l (name, holder, epoch, acquired_at, renewed_at, expires_at)
      SELECT n, $2, 1, now(), now(), now() + $3 * interval '1 millisecond' FROM unnest($1::text[]) AS n
      ON CONFLICT (name) DO UPDATE
         SET holder = EXCLUDED.holder,
             epoch = CASE WHEN l.holder IS NOT DISTINCT FROM EXCLUDED.holder THEN l.epoch ELSE l.epoch + 1 END,
             acquired_at = CASE WHEN l.holder IS NOT DISTINCT FROM EXCLUDED.holder THEN l.acquired_at ELSE now() END,
             renewed_at = now(),
             expires_at = EXCLUDED.expires_at
       WHERE l.holder = EXCLUDED.holder OR l.holder IS NULL OR l.expires_at < now()
      RETURNING name, epoch
      """;

  /** Gives leases up so their new owner need not wait for expiry. $1 text[] names, $2 holder. */
  public static final String RELEASE = """
      UPDATE sagaz_leases SET holder = NULL, expires_at = now()
       WHERE name = ANY($1) AND holder = $2
      """;
}
