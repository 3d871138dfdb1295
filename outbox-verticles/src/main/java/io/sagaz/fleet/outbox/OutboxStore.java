package io.sagaz.fleet.outbox;

import io.sagaz.fleet.client.sql.OneRoundTrip;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.sagaz.fleet.core.outbox.OutboxSql;
import io.sagaz.fleet.core.outbox.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pollers' database side: claim a batch, settle it (sent / failed / dead letter), recover
 * abandoned claims. Every statement on a claimed batch is fenced by its token and claim time.
 */
final class OutboxStore {
  /** Errors are kept for operators, not for archives. */
  private static final int MAX_ERROR_LENGTH = 2_000;
  /**
   * How far from now (both ways) a recent-only claim looks. Planning the claim over the one or two
   * daily partitions this spans costs a quarter of planning it over the whole lookback (0.15 vs 0.64
   * ms, warm, PostgreSQL 15), and nearly every claim under a steady stream is one of these. An hour
   * ahead absorbs clock skew between the node and the database (rows are stamped by the database);
   * a larger skew only delays events to the next sweep, it never loses them.
   */
  static final Duration RECENT = Duration.ofHours(1);

  private final Pool pool;
  private final OutboxConfig config;
  private final RetryPolicy retry;
  private final String claimerPrefix;
  private final String leaseHolder;

  /**
   * @param claimerPrefix goes in front of each claim token (node id + poller), for operators
   * @param leaseHolder   ordered mode: the shard-lease holder whose shards this store claims; null
   *                      for unordered claiming
   */
  OutboxStore(Pool pool, OutboxConfig config, String claimerPrefix, String leaseHolder) {
    this.pool = pool;
    this.config = config;
    this.retry = new RetryPolicy(config.backoffBase(), config.backoffMax(), config.maxAttempts());
    this.claimerPrefix = claimerPrefix;
    this.leaseHolder = leaseHolder;
  }

  /** Outcome of settling a batch. {@code fenced} rows were no longer ours (claim expired and recovered). */
  record Settled(int sent, int failed, int deadLettered, int fenced) {}

  /**
   * Claims up to {@code limit} due events. An unordered claim looks either at the recent ones only
   * ({@code sweep = false}: created within {@link #RECENT} of now, one or two daily partitions) or
   * at the whole {@code outbox.lookbackDays} ({@code sweep = true}); ordered claims always look at
   * the whole lookback.
   */
  Future<ClaimedBatch> claim(int limit, boolean sweep) {
    String token = claimerPrefix + "/" + UUID.randomUUID();
    String settingsSql;
    String sql;
    Tuple args;
    if (leaseHolder == null) {
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      settingsSql = OutboxSql.CLAIM_TX;
      sql = OutboxSql.CLAIM;
      args = sweep
          ? Tuple.of(limit, now.minusDays(config.lookbackDays()), token, now.plusDays(1))
          : Tuple.of(limit, now.minus(RECENT), token, now.plus(RECENT));
    } else {
      settingsSql = OutboxSql.BOOKKEEPING_TX;
      sql = OutboxSql.CLAIM_ORDERED;
      args = Tuple.of(limit, config.lookbackDays(), token, config.shards(), leaseHolder);
    }
    return OneRoundTrip.transaction(pool, settingsSql, conn -> conn.preparedQuery(sql).execute(args))
        .map(rows -> toBatch(token, rows));
  }

  private static ClaimedBatch toBatch(String token, RowSet<Row> rows) {
    if (rows.rowCount() == 0) {
      return ClaimedBatch.empty(token);
    }
    List<OutboxRecord> records = new ArrayList<>(rows.rowCount());
    OffsetDateTime claimedAt = null;
    OffsetDateTime oldest = null;
    OffsetDateTime newest = null;
    for (Row r : rows) {
      OffsetDateTime created = r.getOffsetDateTime("created_at");
      oldest = oldest == null || created.isBefore(oldest) ? created : oldest;
      newest = newest == null || created.isAfter(newest) ? created : newest;
      claimedAt = r.getOffsetDateTime("claimed_at");
      records.add(new OutboxRecord(r.getLong("id"), created, r.getUUID("event_id"), r.getUUID("saga_id"),
          r.getString("aggregate_type"), r.getString("aggregate_id"), r.getString("event_type"),
          r.getString("topic"), r.getString("payload"), r.getString("headers"), r.getInteger("attempts")));
    }
    // RETURNING gives rows in no promised order; ids rise with commit order per aggregate in practice
    records.sort((a, b) -> Long.compare(a.id(), b.id()));
    return new ClaimedBatch(token, claimedAt, oldest, newest, records);
  }

  /** Marks acknowledged events sent and failed ones failed/dead (one statement each). */
  Future<Settled> settle(ClaimedBatch batch, List<Throwable> outcomes) {
    List<Long> sentIds = new ArrayList<>();
    List<Long> failedIds = new ArrayList<>();
    List<Long> delays = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      OutboxRecord r = batch.records().get(i);
      Throwable err = outcomes.get(i);
      if (err == null) {
        sentIds.add(r.id());
      } else {
        failedIds.add(r.id());
        delays.add(retry.delayAfter(r.attempts(), ThreadLocalRandom.current()::nextDouble).toMillis());
        errors.add(describe(err));
      }
    }
    Tuple sentArgs = Tuple.of(batch.token(), batch.claimedAt(), batch.oldestCreatedAt(), batch.newestCreatedAt(),
        sentIds.toArray(Long[]::new));
    Tuple failedArgs = Tuple.tuple(List.of(batch.token(), batch.claimedAt(), batch.oldestCreatedAt(), batch.newestCreatedAt(),
        config.maxAttempts(),
        failedIds.toArray(Long[]::new), delays.toArray(Long[]::new), errors.toArray(String[]::new)));
    // Like the claim: settings, both marks and the commit in one round trip.
    return OneRoundTrip.transaction(pool, OutboxSql.BOOKKEEPING_TX, conn -> {
      Future<Integer> sent = sentIds.isEmpty() ? Future.succeededFuture(0)
          : conn.preparedQuery(OutboxSql.MARK_SENT).execute(sentArgs).map(RowSet::rowCount);
      Future<int[]> failed = failedIds.isEmpty() ? Future.succeededFuture(new int[2])
          : conn.preparedQuery(OutboxSql.MARK_FAILED).execute(failedArgs).map(OutboxStore::countFailed);
      return Future.all(sent, failed).map(v -> {
        int[] f = failed.result();
        return new Settled(sent.result(), f[0], f[1], outcomes.size() - sent.result() - f[0] - f[1]);
      });
    });
  }

  private static int[] countFailed(RowSet<Row> rows) {
    int[] n = new int[2];
    for (Row r : rows) {
      n["dead_letter".equals(r.getString("status")) ? 1 : 0]++;
    }
    return n;
  }

  /** Frees claims older than the claim timeout; returns how many. */
  Future<Integer> recoverExpired() {
    return pool.preparedQuery(OutboxSql.RECOVER_EXPIRED)
        .execute(Tuple.of(config.claimTimeout().toMillis(), config.maxAttempts(), config.lookbackDays()))
        .map(RowSet::rowCount);
  }

  static String describe(Throwable err) {
    String s = err.getClass().getSimpleName() + ": " + err.getMessage();
    return s.length() > MAX_ERROR_LENGTH ? s.substring(0, MAX_ERROR_LENGTH) : s;
  }
}
