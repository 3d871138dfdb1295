package io.sagaz.fleet.core.outbox;

/**
 * Every DML statement on {@code saga_outbox}.
 *
 * <p>Claims, marks and recovery all bound {@code created_at} from below so PostgreSQL prunes the daily
 * partitions down to the recent ones (planning over 144 partitions costs milliseconds per claim).
 * Claims and marks are planned for each run, never from a cached generic plan ({@link #BOOKKEEPING_TX},
 * {@link #lockedClaimTx}): a generic plan made while the table was empty can scan a full one.
 *
 * <p>Two kinds of claim. The unordered poller's claim is a lock ({@link #CLAIM_LOCKED}): the rows stay
 * {@code pending}, locked by the claim's transaction, which stays open while the batch is published
 * and marks them in the same transaction. The lock is the claimer's identity: no other claimer can
 * take or mark the rows while it lives, and PostgreSQL ends it when the poller's connection dies or
 * stays idle past the claim timeout ({@code idle_in_transaction_session_timeout}), so a late
 * original's marks fail with its transaction. One row version and no index entries per claimed
 * event, where a status claim writes a new version and two index entries (docs/outbox.md).
 *
 * <p>The ordered claim ({@link #CLAIM_ORDERED}) writes {@code claimed}: a fresh token into
 * {@code claimed_by} and one timestamp into {@code claimed_at}; every later statement on the batch
 * requires both plus {@code status='claimed'}, so a poller whose claim expired and was recovered
 * changes nothing when it finally answers.
 */
public final class OutboxSql {
  private OutboxSql() {}

  /**
   * Run first in the settle's and the ordered claim's transactions: a plan made for each run
   * ({@code force_custom_plan}), because the right plan for these depends on the sizes at hand.
   *
   * <p>Asynchronous commit: these transactions (and the locked claim's, {@link #lockedClaimTx}) only do
   * bookkeeping, and losing the last few of them in a database crash means a claim or a "sent" mark
   * is undone and the event is published again, which at-least-once delivery (and the consumers'
   * inbox) already covers. The business transactions that write events keep synchronous commit.
   * Saves a WAL flush per batch.
   */
  public static final String BOOKKEEPING_TX =
      "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL synchronous_commit = off";

  /**
   * The locked claim's settings: as {@link #BOOKKEEPING_TX}, and no bitmap scans.
   * The claim must walk the due index in order and stop after its batch. Under a steady stream the
   * planner, estimating from statistics taken while the partition was small, chose a bitmap scan of
   * the whole due index plus a sort: it read every entry left by rows claimed since the last vacuum,
   * tens of thousands, to return a handful (10-20 ms per claim at 1,500 events/s on two cores).
   * No sorts either: through a backlog written in one statement every row has the same
   * {@code next_attempt_at}, the planner estimated one row behind the cursor of
   * {@link #CLAIM_LOCKED_AFTER} and sorted all 970,000 (2.3 s, spilled to disk) instead of walking
   * the index.
   */
  private static final String CLAIM_TX = "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_bitmapscan = off;"
      + " SET LOCAL enable_sort = off; SET LOCAL synchronous_commit = off";

  /**
   * Run first in the locked claim's transaction ({@link #CLAIM_LOCKED}): {@link #CLAIM_TX}, and
   * PostgreSQL ends the session (and with it the claim) when it stays idle in the transaction for
   * longer than the claim timeout: a poller that stalls between its claim and its marks.
   */
  public static String lockedClaimTx(long claimTimeoutMillis) {
    if (claimTimeoutMillis <= 0) {
      throw new IllegalArgumentException("claimTimeoutMillis: must be positive, was " + claimTimeoutMillis);
    }
    return CLAIM_TX + "; SET LOCAL idle_in_transaction_session_timeout = " + claimTimeoutMillis;
  }

  /**
   * $1 event_id, $2 saga_id, $3 aggregate_type, $4 aggregate_id, $5 event_type, $6 topic, $7 payload,
   * $8 headers. Payload and headers arrive as JSON text ({@code ::text::jsonb}): the writer has
   * encoded them already to check the size, and a String bound to a jsonb parameter directly would be
   * stored as a JSON string.
   */
  public static final String INSERT = """
      INSERT INTO saga_outbox (event_id, saga_id, aggregate_type, aggregate_id, event_type, topic, payload, headers)
      VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb)
      """;

  /**
   * A claim's columns. Payload and headers come back as text, or as NULL when the text would be
   * longer than the load limit, parameter {@code $loadLimit} ({@code OutboxConfig.maxLoadBytes()}):
   * the poller fails such an event without loading it. Only a value stored in more than 64 KiB is
   * measured (rendered once more, inside PostgreSQL); a smaller one renders to far less than the
   * limit, and the usual few hundred bytes cost nothing extra.
   */
  private static String claimedColumns(int loadLimit) {
    return """
        o.id, o.created_at, o.event_id, o.saga_id, o.aggregate_type, o.aggregate_id, o.event_type, o.topic,
               CASE WHEN pg_column_size(o.payload) <= 65536 OR octet_length(o.payload::text) <= $%1$d
                    THEN o.payload::text END AS payload,
               CASE WHEN pg_column_size(o.headers) <= 65536 OR octet_length(o.headers::text) <= $%1$d
                    THEN o.headers::text END AS headers""".formatted(loadLimit);
  }

  /**
   * Unordered claim by lock, in a transaction begun with {@link #lockedClaimTx}: the due rows in
   * the window, locked, left {@code pending}. {@code attempts} comes back as the number this attempt
   * will be ({@link #MARK_SENT_LOCKED} and {@link #MARK_FAILED_LOCKED} store it). $1 batch size, $2
   * created_at from, $3 created_at before (the poller's recent window, an hour either side of now,
   * or its sweep, the lookback and a day ahead), $4 the load limit ({@link #claimedColumns}). The
   * window arrives as values, not as
   * {@code now() - ...}, so the planner prunes partitions while planning: over the daily partitions
   * (a week back, a week ahead) planning fell from 3.6-5.3 ms to 0.8 ms and execution from 0.8-1.8
   * ms to 0.2 ms for a small batch. Rows are stamped by the database's clock, so the day ahead
   * absorbs any skew between the node's clock and the database's.
   */
  public static final String CLAIM_LOCKED = claimLocked("", 4);

  /**
   * {@link #CLAIM_LOCKED} for rows after a position in the due index: $4 next_attempt_at and $5 id
   * of the last row of the batch claimed before; $6 the load limit. Through a backlog, a claim from
   * the start of the index walks every entry of the rows sent in the last moments: they stay in the index until
   * vacuum, and PostgreSQL can only skip them cheaply once no open transaction is older than their
   * "sent" mark, while the claims by lock keep transactions open for a whole publish (a claim of
   * 1,000 spent 35-43 ms before its first row during a drain).
   */
  public static final String CLAIM_LOCKED_AFTER = claimLocked("   AND (o.next_attempt_at, o.id) > ($4, $5)\n", 6);

  private static String claimLocked(String andAfter, int loadLimit) {
    return "SELECT " + claimedColumns(loadLimit) + """
        , o.next_attempt_at, o.attempts + 1 AS attempts, now() AS claimed_at
          FROM saga_outbox o
         WHERE o.status IN ('pending', 'failed')
           AND o.next_attempt_at <= now()
           AND o.created_at >= $2 AND o.created_at < $3
        """ + andAfter + """
         ORDER BY o.next_attempt_at, o.id
         LIMIT $1
           FOR UPDATE SKIP LOCKED
        """;
  }

  /**
   * Ordered claim: only the oldest undelivered event of each aggregate (its "head"), only when it is
   * due, only when no event of its aggregate is claimed, and only in shards whose lease the claimer
   * holds right now (the database, not the node's memory, decides). A head that is claimed or
   * waiting out a backoff holds back its own aggregate and no other. Claimed rows are not in the
   * aggregate index (migration V41), so the aggregates with one in flight come from the claimed
   * index: few rows, the batches in flight. $1 batch size, $2 lookback days, $3 claim token, $4 shard
   * count, $5 lease holder, $6 the load limit ({@link #claimedColumns}). The status/due conditions
   * are repeated on {@code o} so the row re-check under FOR UPDATE sees a head that another claimer took in the meantime.
   */
  public static final String CLAIM_ORDERED = """
      WITH owned AS (
        SELECT substr(name, 14)::int AS shard FROM sagaz_leases
         WHERE name LIKE 'outbox-shard-%' AND holder = $5 AND expires_at > now()
      ), in_flight AS (
        SELECT DISTINCT aggregate_id FROM saga_outbox
         WHERE status = 'claimed' AND created_at >= now() - make_interval(days => $2)
      ), heads AS (
        SELECT DISTINCT ON (aggregate_id) id, created_at, aggregate_id, next_attempt_at
          FROM saga_outbox
         WHERE status IN ('pending', 'failed')
           AND created_at >= now() - make_interval(days => $2)
           AND (hashtext(aggregate_id) & 2147483647) % $4 IN (SELECT shard FROM owned)
         ORDER BY aggregate_id, id
      ), due AS (
        SELECT o.id, o.created_at FROM saga_outbox o
          JOIN heads h ON o.id = h.id AND o.created_at = h.created_at
         WHERE h.next_attempt_at <= now()
           AND h.aggregate_id NOT IN (SELECT aggregate_id FROM in_flight)
           AND o.status IN ('pending', 'failed') AND o.next_attempt_at <= now()
         ORDER BY h.id
         LIMIT $1
         FOR UPDATE OF o SKIP LOCKED)
      UPDATE saga_outbox o
         SET status = 'claimed', claimed_by = $3, claimed_at = now(), attempts = o.attempts + 1
        FROM due
       WHERE o.id = due.id AND o.created_at = due.created_at
      """ + "RETURNING " + claimedColumns(6) + ", o.attempts, o.claimed_at\n";

  // A plain string: a text block would lose the space after "WHERE " (trailing blanks are stripped).
  // $3..$4 bound created_at to the batch's own range, so only the partitions it spans are planned.
  private static final String FENCE =
      " o.status = 'claimed' AND o.claimed_by = $1 AND o.claimed_at = $2 AND o.created_at BETWEEN $3 AND $4\n";

  /**
   * $1 token, $2 claimed_at, $3 oldest and $4 newest created_at of the batch, $5 bigint[] ids. Returns
   * the ids marked.
   */
  public static final String MARK_SENT = """
      UPDATE saga_outbox o SET status = 'sent', sent_at = now()
       WHERE """ + FENCE + """
         AND o.id = ANY($5)
      RETURNING o.id
      """;

  /**
   * A failed attempt: back to {@code failed} with its next due time, or to {@code dead_letter} once
   * the attempts are used up; the error is kept either way. $1 token, $2 claimed_at, $3 oldest and
   * $4 newest created_at, $5 max attempts, $6 bigint[] ids, $7 bigint[] delays in ms, $8 text[] errors.
   * Returns each row's id and new status.
   */
  public static final String MARK_FAILED = markFailed("o.attempts", "claimed_by = NULL, claimed_at = NULL", FENCE, 5);

  /**
   * Gives back, fenced like the marks, status-claimed events whose broker could not be reached: the
   * claim's attempt is taken back and the event is due at once, as it was before the claim
   * ({@code pending} if it was never attempted, else {@code failed}, its last error kept). $1 token,
   * $2 claimed_at, $3 oldest and $4 newest created_at, $5 bigint[] ids. Returns the ids released.
   */
  public static final String MARK_RELEASED = """
      UPDATE saga_outbox o
         SET status = CASE WHEN o.attempts > 1 THEN 'failed' ELSE 'pending' END,
             attempts = o.attempts - 1, next_attempt_at = now(), claimed_by = NULL, claimed_at = NULL
       WHERE """ + FENCE + """
         AND o.id = ANY($5)
      RETURNING o.id
      """;

  // The locked claim's own transaction still holds the rows: the batch's created_at range prunes
  // the partitions, the status check only guards against a caller marking rows it never locked.
  private static final String LOCKED =
      " o.status IN ('pending', 'failed') AND o.created_at BETWEEN $1 AND $2\n";

  /** In the locked claim's transaction: $1 oldest and $2 newest created_at, $3 bigint[] ids. Returns the ids marked. */
  public static final String MARK_SENT_LOCKED = """
      UPDATE saga_outbox o SET status = 'sent', sent_at = now(), attempts = o.attempts + 1
       WHERE """ + LOCKED + """
         AND o.id = ANY($3)
      RETURNING o.id
      """;

  /**
   * In the locked claim's transaction, as {@link #MARK_FAILED}: $1 oldest and $2 newest created_at,
   * $3 max attempts, $4 bigint[] ids, $5 bigint[] delays in ms, $6 text[] errors.
   */
  public static final String MARK_FAILED_LOCKED = markFailed("o.attempts + 1", "attempts = o.attempts + 1", LOCKED, 3);

  /**
   * The failed mark of either claim: to {@code dead_letter} once this attempt used up the budget,
   * else to {@code failed} with its own delay; the error kept either way.
   *
   * @param attempt   this attempt's number in SQL: the ordered claim counted it already, the locked
   *                  claim's mark counts it
   * @param alsoSet   the claim's own bookkeeping (a status claim clears its token, a locked one stores
   *                  the attempt)
   * @param where     the claim's condition ({@link #FENCE} or {@link #LOCKED}), whose parameters come first
   * @param maxParam  the number of the max-attempts parameter; the ids, delays and errors follow it
   */
  private static String markFailed(String attempt, String alsoSet, String where, int maxParam) {
    return """
        UPDATE saga_outbox o
           SET status = CASE WHEN %1$s >= $%4$d THEN 'dead_letter' ELSE 'failed' END,
               next_attempt_at = now() + f.delay_ms * interval '1 millisecond',
               last_error = f.error, %2$s
          FROM unnest($%5$d::bigint[], $%6$d::bigint[], $%7$d::text[]) AS f(id, delay_ms, error)
         WHERE %3$s   AND o.id = f.id
        RETURNING o.id, o.status
        """.formatted(attempt, alsoSet, where, maxParam, maxParam + 1, maxParam + 2, maxParam + 3);
  }

  /**
   * Claims older than the claim timeout belong to a poller that died or stalled: they count as a
   * failed attempt and become due again. Clearing {@code claimed_by} fences the late original.
   * $1 claim timeout ms, $2 max attempts, $3 lookback days. Returns the recovered ids.
   */
  public static final String RECOVER_EXPIRED = """
      UPDATE saga_outbox o
         SET status = CASE WHEN o.attempts >= $2 THEN 'dead_letter' ELSE 'failed' END,
             last_error = 'claim by ' || coalesce(o.claimed_by, '?') || ' expired (poller died or stalled)',
             claimed_by = NULL, claimed_at = NULL, next_attempt_at = now()
       WHERE o.status = 'claimed'
         AND o.claimed_at < now() - $1 * interval '1 millisecond'
         AND o.created_at >= now() - make_interval(days => $3)
      RETURNING o.id
      """;

  /** Counts per status (admin stats; scans the status index, so it is not on the hot path). */
  public static final String COUNT_BY_STATUS = """
      SELECT status, count(*) AS n FROM saga_outbox GROUP BY status
      """;

  /**
   * What the gauges need, cheap enough to run every few seconds: undelivered counts and oldest age.
   * Each condition is exactly a partial index's predicate (due or failed: the aggregate index;
   * claimed: the claimed index; dead letters: their own), so no count reads the table.
   */
  public static final String BACKLOG = """
      SELECT (SELECT count(*) FROM saga_outbox WHERE status IN ('pending', 'failed'))
           + (SELECT count(*) FROM saga_outbox WHERE status = 'claimed') AS pending,
             (SELECT count(*) FROM saga_outbox WHERE status = 'dead_letter') AS dead_letters,
             coalesce(extract(epoch FROM now() - least(
               (SELECT min(created_at) FROM saga_outbox WHERE status IN ('pending', 'failed')),
               (SELECT min(created_at) FROM saga_outbox WHERE status = 'claimed'))), 0)::float8 AS oldest_pending_seconds
      """;

  /** $1 topic or null, $2 event type or null, $3 limit. Newest first. */
  public static final String LIST_DEAD_LETTERS = """
      SELECT id, created_at, event_id, saga_id, aggregate_type, aggregate_id, event_type, topic,
             payload::text AS payload, headers::text AS headers, attempts, last_error, replay_count, next_attempt_at
        FROM saga_outbox
       WHERE status = 'dead_letter'
         AND ($1::text IS NULL OR topic = $1)
         AND ($2::text IS NULL OR event_type = $2)
       ORDER BY created_at DESC, id DESC
       LIMIT $3
      """;

  /**
   * A replayed event starts over as a new one: pending, no attempts, and {@code created_at} now, which
   * moves it into today's partition. The pollers claim only within {@code outbox.lookbackDays}, so a
   * dead letter older than that would otherwise stay pending and never be claimed; and its old
   * partition, which retention keeps while it holds the dead letter, can go.
   */
  private static final String REPLAY_SET = """
      UPDATE saga_outbox
         SET status = 'pending', attempts = 0, next_attempt_at = now(), replay_count = replay_count + 1,
             claimed_by = NULL, claimed_at = NULL, created_at = now()
       WHERE status = 'dead_letter'
      """;

  /** Replays dead letters by event id. $1 uuid[] event ids. Returns the event ids replayed. */
  public static final String REPLAY_BY_IDS = REPLAY_SET + """
         AND event_id = ANY($1)
      RETURNING event_id
      """;

  /** Replays dead letters matching a filter. $1 topic or null, $2 event type or null, $3 created before or null. */
  public static final String REPLAY_BY_FILTER = REPLAY_SET + """
         AND ($1::text IS NULL OR topic = $1)
         AND ($2::text IS NULL OR event_type = $2)
         AND ($3::timestamptz IS NULL OR created_at < $3)
      RETURNING event_id
      """;
}
