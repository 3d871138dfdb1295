package io.sagaz.fleet.maintenance;

import io.sagaz.fleet.core.maintenance.LeaseSql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;

/** The lease row of one named lease in {@code sagaz_leases}; PostgreSQL's clock decides expiry. */
final class LeaseStore {
  private final Pool pool;
  private final String name;

  LeaseStore(Pool pool, String name) {
    this.pool = pool;
    this.name = name;
  }

  String name() {
    return name;
  }

  /** Takes the lease if it is free, or expired for at least {@code grace}; empty when someone holds it. */
  Future<Optional<Leadership>> acquire(String holder, Duration lease, Duration grace) {
    return pool.preparedQuery(LeaseSql.ACQUIRE)
        .execute(Tuple.of(name, holder, lease.toMillis(), grace.toMillis()))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Leadership(r.getString("holder"), r.getLong("epoch"), r.getOffsetDateTime("acquired_at")));
        });
  }

  /** True when the lease was extended; false when it was lost (expired, or another holder or epoch). */
  Future<Boolean> renew(Leadership held, Duration lease) {
    return pool.preparedQuery(LeaseSql.RENEW)
        .execute(Tuple.of(name, held.holder(), held.epoch(), lease.toMillis()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Ends the lease now (if still held) so the next candidate does not wait for it to expire. */
  Future<Void> release(Leadership held) {
    return pool.preparedQuery(LeaseSql.RELEASE)
        .execute(Tuple.of(name, held.holder(), held.epoch()))
        .mapEmpty();
  }

  /** How long until the lease expires by the server's clock; zero when it has (or there is none). */
  Future<Duration> remaining() {
    return pool.preparedQuery(LeaseSql.REMAINING_MS).execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? Duration.ZERO : Duration.ofMillis(rows.iterator().next().getLong("remaining_ms")));
  }

  /**
   * {@code {leader, epoch, since, expiresAt}} from the row; {@code leader} is null when the lease is
   * free or expired (the epoch is the last one used).
   */
  Future<JsonObject> describe() {
    return pool.preparedQuery(LeaseSql.READ).execute(Tuple.of(name)).map(rows -> {
      JsonObject body = new JsonObject().put("version", 1).put("lease", name);
      if (rows.size() == 0) {
        return body.putNull("leader").put("epoch", 0L).putNull("since").putNull("expiresAt");
      }
      Row r = rows.iterator().next();
      boolean live = Boolean.TRUE.equals(r.getBoolean("live"));
      return body
          .put("leader", live ? r.getString("holder") : null)
          .put("epoch", r.getLong("epoch"))
          .put("since", live && r.getOffsetDateTime("acquired_at") != null ? r.getOffsetDateTime("acquired_at").toInstant().toString() : null)
          .put("expiresAt", r.getOffsetDateTime("expires_at") == null ? null : r.getOffsetDateTime("expires_at").toInstant().toString());
    });
  }
}
