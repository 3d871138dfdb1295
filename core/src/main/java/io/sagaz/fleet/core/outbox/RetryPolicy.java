package io.sagaz.fleet.core.outbox;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a failed publish is tried again: exponential backoff from {@code base}, doubled per attempt and
 * capped at {@code max}, with "equal jitter" (half fixed, half random) so pollers that failed together
 * on a broker outage do not all come back in the same millisecond. After {@code maxAttempts} attempts
 * the event goes to {@code dead_letter}.
 */
public record RetryPolicy(Duration base, Duration max, int maxAttempts) {

  public RetryPolicy {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException("need 0 < base <= max and maxAttempts >= 1");
    }
  }

  /** True when an event that has now been attempted {@code attempts} times must not be tried again. */
  public boolean exhausted(int attempts) {
    return attempts >= maxAttempts;
  }

  /**
   * Delay before the next try after the {@code attempts}-th failed attempt (1-based), using
   * {@code random} (values in [0, 1)) for the jitter.
   */
  public Duration delayAfter(int attempts, DoubleSupplier random) {
    long baseMs = base.toMillis();
    int shift = Math.min(Math.max(attempts - 1, 0), 30);
    long capped = Math.min(max.toMillis(), baseMs << shift);
    long half = capped / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (capped - half + 1)));
  }
}
