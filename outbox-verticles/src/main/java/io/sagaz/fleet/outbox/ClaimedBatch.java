package io.sagaz.fleet.outbox;

import io.sagaz.fleet.core.outbox.OutboxRecord;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One claim: the token and timestamp that fence it, the oldest and newest {@code created_at} (let
 * the marking statements prune partitions) and the rows.
 */
record ClaimedBatch(String token, OffsetDateTime claimedAt, OffsetDateTime oldestCreatedAt, OffsetDateTime newestCreatedAt,
                    List<OutboxRecord> records) {
  static ClaimedBatch empty(String token) {
    return new ClaimedBatch(token, null, null, null, List.of());
  }

  boolean isEmpty() {
    return records.isEmpty();
  }
}
