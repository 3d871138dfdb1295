package io.sagaz.fleet.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClaimCursorTest {
  private static final OffsetDateTime T = OffsetDateTime.of(2026, 11, 21, 12, 0, 0, 0, ZoneOffset.UTC);
  private static final long SECOND = 1_000_000_000L;

  @Test
  void fullClaimsMoveTheCursorForwardOnlyAndAShortOneClearsIt() {
    ClaimCursor cursor = new ClaimCursor(Duration.ofSeconds(1));
    assertThat(cursor.startFor(0)).as("no backlog: from the front").isNull();
    cursor.claimed(true, new ClaimCursor.Position(T, 100));
    cursor.claimed(true, new ClaimCursor.Position(T, 50)); // a slower poller's earlier batch
    assertThat(cursor.inBacklog()).isTrue();
    assertThat(cursor.startFor(SECOND / 2)).isEqualTo(new ClaimCursor.Position(T, 100));
    cursor.claimed(true, new ClaimCursor.Position(T.plusNanos(1_000), 1));
    assertThat(cursor.startFor(SECOND / 2)).as("a later next_attempt_at wins over a larger id")
        .isEqualTo(new ClaimCursor.Position(T.plusNanos(1_000), 1));

    cursor.claimed(false, null);
    assertThat(cursor.inBacklog()).isFalse();
    assertThat(cursor.startFor(SECOND / 2)).isNull();
  }

  @Test
  void oneClaimPerIntervalStartsFromTheFrontWhileABacklogLasts() {
    ClaimCursor cursor = new ClaimCursor(Duration.ofSeconds(1));
    assertThat(cursor.startFor(10 * SECOND)).isNull();
    cursor.claimed(true, new ClaimCursor.Position(T, 100));
    assertThat(cursor.startFor(10 * SECOND + SECOND / 2)).isNotNull();
    assertThat(cursor.startFor(11 * SECOND)).as("a second after the last front claim").isNull();
    assertThat(cursor.startFor(11 * SECOND + 1)).as("only one claim of the node per interval").isNotNull();
  }
}
