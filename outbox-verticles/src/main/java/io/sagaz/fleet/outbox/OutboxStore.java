package io.sagaz.fleet.outbox;

import io.sagaz.fleet.client.sql.OneRoundTrip;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.sagaz.fleet.core.outbox.OutboxSql;
import io.sagaz.fleet.core.outbox.RetryPolicy;
import io.sagaz.fleet.outbox.relay.RelayUnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
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
 * abandoned claims. Unordered claims are row locks held by the claim's open transaction, which the
 * marks commit; ordered claims mark rows {@code claimed}, and every later statement on such a
 * batch is fenced by its token and claim time (see {@link OutboxSql}).
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
  private final String lockedClaimTx;
  private final ClaimCursor cursor;

  /**
   * @param claimerPrefix goes in front of each claim token (node id + poller), for operators
   * @param leaseHolder   ordered mode: the shard-lease holder whose shards this store claims; null
   *                      for unordered claiming
   */
  OutboxStore(Pool pool, OutboxConfig config, String claimerPrefix, String leaseHolder) {
    this(pool, config, claimerPrefix, leaseHolder, new ClaimCursor(config.pollInterval()));
  }

  /** @param cursor where the node's unordered claims continue through a backlog; shared by its pollers */
  OutboxStore(Pool pool, OutboxConfig config, String claimerPrefix, String leaseHolder, ClaimCursor cursor) {
    this.pool = pool;
    this.config = config;
    this.retry = new RetryPolicy(config.backoffBase(), config.backoffMax(), config.maxAttempts());
    this.claimerPrefix = claimerPrefix;
    this.leaseHolder = leaseHolder;
    this.cursor = cursor;
    this.lockedClaimTx = "BEGIN; " + OutboxSql.lockedClaimTx(config.claimTimeout().toMillis());
  }

  /**
   * How a batch was settled: {@code released} events were left due without an attempt (their relay
   * was unavailable); {@code fenced} ones were no longer this claim's to mark (expired and recovered).
   */
  record Settled(int sent, int failed, int deadLettered, int released, int fenced) {}

  /**
   * Claims up to {@code limit} due events. An unordered claim is a lock held by an open transaction
   * (settle or {@link #abandon} the batch to end it) and looks either at the recent events only
   * ({@code sweep = false}: created within {@link #RECENT} of now, one or two daily partitions) or
   * at the whole {@code outbox.lookbackDays} ({@code sweep = true}); an ordered claim marks its rows
   * {@code claimed} and always looks at the whole lookback.
   */
  Future<ClaimedBatch> claim(int limit, boolean sweep) {
    String token = claimerPrefix + "/" + UUID.randomUUID();
    if (leaseHolder != null) {
      Tuple args = Tuple.of(limit, config.lookbackDays(), token, config.shards(), leaseHolder, config.maxLoadBytes());
      return OneRoundTrip.transaction(pool, OutboxSql.BOOKKEEPING_TX, conn -> conn.preparedQuery(OutboxSql.CLAIM_ORDERED).execute(args))
          .map(rows -> toBatch(token, rows, null));
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    ClaimCursor.Position after = cursor.startFor(System.nanoTime());
    // through a backlog every claim looks at the whole lookback: the backlog may be older than an hour
    Tuple args = sweep || cursor.inBacklog()
        ? Tuple.of(limit, now.minusDays(config.lookbackDays()), now.plusDays(1))
        : Tuple.of(limit, now.minus(RECENT), now.plus(RECENT));
    if (after != null) {
      args.addOffsetDateTime(after.nextAttemptAt()).addLong(after.id());
    }
    args.addInteger(config.maxLoadBytes());
    String sql = after == null ? OutboxSql.CLAIM_LOCKED : OutboxSql.CLAIM_LOCKED_AFTER;
    return pool.getConnection().compose(conn -> {
      // BEGIN with its settings and the claim go out together; the transaction stays open
      Future<?> begun = conn.query(lockedClaimTx).execute();
      Future<RowSet<Row>> rows = conn.preparedQuery(sql).execute(args);
      return Future.join(begun, rows).transform(ar -> {
        if (ar.succeeded()) {
          cursor.claimed(rows.result().rowCount() >= limit, end(rows.result()));
        }
        if (ar.succeeded() && rows.result().rowCount() > 0) {
          return Future.succeededFuture(toBatch(token, rows.result(), conn));
        }
        Future<ClaimedBatch> outcome = ar.succeeded() ? Future.succeededFuture(ClaimedBatch.empty(token)) : Future.failedFuture(ar.cause());
        return end(conn, "ROLLBACK").transform(v -> outcome);
      });
    });
  }

  /** The last row of a claim in due-index order (the rows come back in it), or null if none. */
  private static ClaimCursor.Position end(RowSet<Row> rows) {
    Row last = null;
    for (Row r : rows) {
      last = r;
    }
    return last == null ? null : new ClaimCursor.Position(last.getOffsetDateTime("next_attempt_at"), last.getLong("id"));
  }

  /** Ends a claim by lock without marking anything: its rows are due again at once. */
  Future<Void> abandon(ClaimedBatch batch) {
    return batch.held() == null ? Future.succeededFuture() : end(batch.held(), "ROLLBACK").mapEmpty();
  }

  /** Ends the transaction and hands the connection back (closed, if the session is gone). */
  private static Future<?> end(SqlConnection conn, String command) {
    return conn.query(command).execute().eventually(conn::close);
  }

  private static ClaimedBatch toBatch(String token, RowSet<Row> rows, SqlConnection held) {
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
    if (records.isEmpty()) {
      return ClaimedBatch.empty(token);
    }
    // RETURNING gives rows in no promised order; ids rise with commit order per aggregate in practice
    records.sort((a, b) -> Long.compare(a.id(), b.id()));
    return new ClaimedBatch(token, claimedAt, oldest, newest, records, held);
  }

  /**
   * Marks acknowledged events sent and failed ones failed/dead (one statement each). Events whose
   * relay was unavailable ({@link RelayUnavailableException}) count no attempt: a claim by lock leaves
   * them unmarked and the COMMIT releases them; a status claim gives them back
   * ({@link OutboxSql#MARK_RELEASED}). Both are due at once. A status claim is marked and committed in its own
   * transaction; when that transaction is gone (the session
   * outlived the claim timeout, or the database went away) the future fails and the events stay due.
   */
  Future<Settled> settle(ClaimedBatch batch, List<Throwable> outcomes) {
    Marks marks = marks(batch, outcomes);
    if (batch.held() == null) {
      List<Object> fence = List.of(batch.token(), batch.claimedAt(), batch.oldestCreatedAt(), batch.newestCreatedAt());
      // Like the claim: settings, the marks and the commit in one round trip.
      return OneRoundTrip.transaction(pool, OutboxSql.BOOKKEEPING_TX,
          conn -> marks.apply(conn, OutboxSql.MARK_SENT, OutboxSql.MARK_FAILED, OutboxSql.MARK_RELEASED, fence, config.maxAttempts()));
    }
    SqlConnection conn = batch.held();
    List<Object> range = List.of(batch.oldestCreatedAt(), batch.newestCreatedAt());
    // Both marks and the COMMIT in one round trip; a failed mark aborts the transaction, and
    // PostgreSQL answers the COMMIT with a rollback.
    Future<Settled> marked = marks.apply(conn, OutboxSql.MARK_SENT_LOCKED, OutboxSql.MARK_FAILED_LOCKED, null, range, config.maxAttempts());
    Future<?> commit = conn.query("COMMIT").execute();
    return Future.join(marked, commit).eventually(conn::close).transform(ar -> {
      Throwable err = marked.failed() ? marked.cause() : commit.failed() ? commit.cause() : null;
      return err == null ? marked
          : Future.failedFuture(new IllegalStateException("a batch of " + outcomes.size()
              + " events was not marked; they stay due and will be published again: " + err.getMessage(), err));
    });
  }

  private Marks marks(ClaimedBatch batch, List<Throwable> outcomes) {
    List<Long> released = new ArrayList<>();
    List<Long> sent = new ArrayList<>();
    List<Long> failed = new ArrayList<>();
    List<Long> delays = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      OutboxRecord r = batch.records().get(i);
      Throwable err = outcomes.get(i);
      if (err == null) {
        sent.add(r.id());
      } else if (err instanceof RelayUnavailableException) {
        released.add(r.id());
      } else {
        failed.add(r.id());
        delays.add(retry.delayAfter(r.attempts(), ThreadLocalRandom.current()::nextDouble).toMillis());
        errors.add(describe(err));
      }
    }
    return new Marks(outcomes.size(), released.toArray(Long[]::new), sent.toArray(Long[]::new), failed.toArray(Long[]::new),
        delays.toArray(Long[]::new), errors.toArray(String[]::new));
  }

  /** A batch's outcome as the marking statements take it: ids sent; ids failed with delay and error. */
  private record Marks(int size, Long[] released, Long[] sent, Long[] failed, Long[] delayMs, String[] errors) {
    /**
     * Sends the marks (without waiting between them). {@code head} is what comes before the ids in
     * every statement (the fence, or the created_at range); the failed mark also takes max attempts.
     * {@code releasedSql} gives unavailable events back; null for a claim by lock, whose COMMIT does.
     */
    Future<Settled> apply(SqlConnection conn, String sentSql, String failedSql, String releasedSql, List<Object> head,
        int maxAttempts) {
      Future<Integer> sentRows = sent.length == 0 ? Future.succeededFuture(0)
          : conn.preparedQuery(sentSql).execute(args(head, new Object[] {sent})).map(RowSet::rowCount);
      Future<int[]> failedRows = failed.length == 0 ? Future.succeededFuture(new int[2])
          : conn.preparedQuery(failedSql).execute(args(head, new Object[] {maxAttempts, failed, delayMs, errors})).map(OutboxStore::countFailed);
      Future<Integer> releasedRows = released.length == 0 || releasedSql == null ? Future.succeededFuture(released.length)
          : conn.preparedQuery(releasedSql).execute(args(head, new Object[] {released})).map(RowSet::rowCount);
      return Future.all(sentRows, failedRows, releasedRows).map(v -> {
        int[] f = failedRows.result();
        int r = releasedRows.result();
        return new Settled(sentRows.result(), f[0], f[1], r, size - r - sentRows.result() - f[0] - f[1]);
      });
    }

    // Not varargs: an array argument would be spread into its elements.
    private static Tuple args(List<Object> head, Object[] tail) {
      List<Object> all = new ArrayList<>(head);
      all.addAll(List.of(tail));
      return Tuple.tuple(all);
    }
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
