package io.sagaz.fleet.admin;

import java.time.Duration;

/**
 * How long the admin API waits on the event bus.
 *
 * @param request     an ordinary forwarded request (saga, outbox, partition listing)
 * @param leaderOnly  work the maintenance leader does (partition DDL, a maintenance run)
 * @param leaderQuery asking who the maintenance leader is for {@code GET /api/v1/cluster}; short,
 *                    because the answer is optional
 */
public record AdminTimeouts(Duration request, Duration leaderOnly, Duration leaderQuery) {
  public static final AdminTimeouts DEFAULTS =
      new AdminTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(1));

  public AdminTimeouts {
    for (Duration d : new Duration[] {request, leaderOnly, leaderQuery}) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("admin timeouts must be positive, was " + d);
      }
    }
  }
}
