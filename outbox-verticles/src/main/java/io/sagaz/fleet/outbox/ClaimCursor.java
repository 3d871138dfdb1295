package io.sagaz.fleet.outbox;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Where the node's furthest full unordered claim ended in the due index ({@code next_attempt_at,
 * id}), shared by the node's pollers. A full batch means a backlog, and while there is one, claims
 * continue behind the furthest batch ({@link io.sagaz.fleet.core.outbox.OutboxSql#CLAIM_LOCKED_AFTER})
 * instead of walking again, from the front of the index, over the entries of rows just sent.
 *
 * <p>Rows can be due in front of the cursor: retries whose backoff ended, rows committed late with
 * an earlier timestamp. So one claim of the node per {@code frontEvery} starts from the front, and
 * a claim that comes back short (the backlog is done) clears the cursor.
 */
final class ClaimCursor {
  record Position(OffsetDateTime nextAttemptAt, long id) {
    boolean isAfter(Position other) {
      int c = nextAttemptAt.compareTo(other.nextAttemptAt);
      return c > 0 || c == 0 && id > other.id;
    }
  }

  private final long frontEveryNanos;
  private Position furthest;
  private long lastFrontNanos;

  ClaimCursor(Duration frontEvery) {
    this.frontEveryNanos = frontEvery.toNanos();
  }

  /** True while a backlog is being drained (the last claims came back full). */
  synchronized boolean inBacklog() {
    return furthest != null;
  }

  /** Where the next claim starts: null for the front of the index. */
  synchronized Position startFor(long nowNanos) {
    if (furthest == null || nowNanos - lastFrontNanos >= frontEveryNanos) {
      lastFrontNanos = nowNanos;
      return null;
    }
    return furthest;
  }

  /** After a claim: a full batch moves the cursor to its end (never back), a short one clears it. */
  synchronized void claimed(boolean full, Position end) {
    if (!full) {
      furthest = null;
    } else if (furthest == null || end.isAfter(furthest)) {
      furthest = end;
    }
  }
}
