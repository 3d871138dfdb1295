package io.sagaz.fleet.core.maintenance;

/**
 * SQL text for {@code sagaz_leases}: leases with a rising epoch (design.md section 7).
 *
 * <p>PostgreSQL is the authority on who holds a lease: every statement compares against the server's
 * {@code clock_timestamp()}, never a node's clock. Durations are passed in milliseconds.
 */
public final class LeaseSql {
  private LeaseSql() {}

  /** The maintenance leader's lease row. */
  public static final String MAINTENANCE_LEADER = "maintenance-leader";

  /**
   * Takes the lease when it is free or expired for at least {@code $4} ms, bumping the epoch.
   * {@code $1} name, {@code $2} holder, {@code $3} lease duration ms, {@code $4} grace ms.
   * Returns one row (holder, epoch, acquired_at, expires_at) when taken, none otherwise.
   */
  public static final String ACQUIRE = """
      INSERT INTO sagaz_leases AS l (name, holder, epoch, acquired_at, renewed_at, expires_at)
      VALUES ($1, $2, 1, clock_timestamp(), clock_timestamp(),
              clock_timestamp() + $3::float8 * interval '1 millisecond')
      ON CONFLICT (name) DO UPDATE
         SET holder = EXCLUDED.holder,
             epoch = l.epoch + 1,
             acquired_at = EXCLUDED.acquired_at,
             renewed_at = EXCLUDED.renewed_at,
             expires_at = EXCLUDED.expires_at
       WHERE l.expires_at IS NULL
          OR l.expires_at <= clock_timestamp() - $4::float8 * interval '1 millisecond'
      RETURNING holder, epoch, acquired_at, expires_at
      """;

  /**
   * Extends a lease this holder still holds under this epoch and that has not expired.
   * {@code $1} name, {@code $2} holder, {@code $3} epoch, {@code $4} lease duration ms.
   * No row back means the lease is lost: the holder must step down.
   */
  public static final String RENEW = """
      UPDATE sagaz_leases
         SET renewed_at = clock_timestamp(),
             expires_at = clock_timestamp() + $4::float8 * interval '1 millisecond'
       WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > clock_timestamp()
      RETURNING expires_at
      """;

  /**
   * Ends a lease now so another node can take it without waiting for expiry.
   * {@code $1} name, {@code $2} holder, {@code $3} epoch.
   */
  public static final String RELEASE = """
      UPDATE sagaz_leases
         SET expires_at = clock_timestamp()
       WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > clock_timestamp()
      """;

  /**
   * The fencing check run inside every fenced transaction: one row only while {@code $2} holds the
   * lease {@code $1} under epoch {@code $3} and it has not expired.
   */
  public static final String CHECK_HELD = """
      SELECT epoch FROM sagaz_leases
       WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > clock_timestamp()
      """;

  /**
   * Milliseconds until the lease {@code $1} expires by the server's clock (0 when it already has), so a
   * candidate can try again right when it becomes free instead of at its next regular tick.
   */
  public static final String REMAINING_MS = """
      SELECT greatest(0, ceil(extract(epoch FROM expires_at - clock_timestamp()) * 1000))::bigint AS remaining_ms
        FROM sagaz_leases
       WHERE name = $1
      """;

  /** The lease row as it stands: holder, epoch, acquired_at, expires_at and whether it is live. */
  public static final String READ = """
      SELECT holder, epoch, acquired_at, expires_at, expires_at > clock_timestamp() AS live
        FROM sagaz_leases
       WHERE name = $1
      """;
}
