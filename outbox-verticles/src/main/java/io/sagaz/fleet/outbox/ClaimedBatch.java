package io.sagaz.fleet.outbox;

import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.vertx.sqlclient.SqlConnection;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One claim: the token and timestamp that fence a status claim, the oldest and newest
 * {@code created_at} (let the marking statements prune partitions), the rows, and for a claim by
 * lock the connection whose open transaction holds them ({@code held}; null for a status claim).
 */
record ClaimedBatch(String token, OffsetDateTime claimedAt, OffsetDateTime oldestCreatedAt, OffsetDateTime newestCreatedAt,
                    List<OutboxRecord> records, SqlConnection held) {
  static ClaimedBatch empty(String token) {
    return new ClaimedBatch(token, null, null, null, List.of(), null);
  }

  boolean isEmpty() {
    return records.isEmpty();
  }
}
