package io.sagaz.fleet.core.saga;

import java.time.Duration;

/**
 * How often a step is tried and how long to wait between tries (exponential backoff, capped).
 *
 * @param maxAttempts total tries including the first (1 = no retry)
 * @param backoff     wait before the second try
 * @param multiplier  factor applied to the wait after each further failure (at least 1)
 * @param maxBackoff  upper bound of any single wait
 */
public record RetryPolicy(int maxAttempts, Duration backoff, double multiplier, Duration maxBackoff) {
  /** One try, no retry. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(100), 2.0, Duration.ofSeconds(30));

  /** {@code attempts} tries with waits starting at {@code backoff} and doubling, capped at 30 s. */
  public static RetryPolicy of(int attempts, Duration backoff) {
    Duration cap = Duration.ofSeconds(30);
    return new RetryPolicy(attempts, backoff, 2.0, backoff != null && cap.compareTo(backoff) < 0 ? backoff : cap);
  }

  /** The wait after the {@code attempt}-th try failed (attempt counts from 1). */
  public Duration delayAfter(int attempt) {
    double millis = backoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    long capped = (long) Math.min(millis, maxBackoff.toMillis());
    return Duration.ofMillis(Math.max(0, capped));
  }
}
