package io.sagaz.fleet.core.maintenance;

import java.time.Duration;

/**
 * The lease cadence derived from one configured lease duration.
 *
 * <p>The holder renews at a third of the lease, so two renewals can fail before it expires. Nodes that
 * hold the cluster-lock hint may take an expired lease at once; the others wait {@link #hintlessGrace()}
 * longer, which lets the hinted node win races without making the hint necessary: after a crash the
 * dead member keeps the hint until the cluster declares it dead, and the lease must not wait for that.
 * The worst case after {@code kill -9} of the leader is therefore {@link #worstCaseTakeover()}.
 *
 * @param lease how long a lease lasts after each renewal
 */
public record LeaseTiming(Duration lease) {
  public LeaseTiming {
    if (lease == null || lease.isNegative() || lease.toMillis() < 300) {
      throw new IllegalArgumentException("lease must be at least 300ms, was " + lease);
    }
  }

  /** How often the holder renews and the other candidates look: a third of the lease. */
  public Duration tick() {
    return lease.dividedBy(3);
  }

  /** Extra expiry a candidate without the cluster-lock hint waits before taking the lease. */
  public Duration hintlessGrace() {
    return lease.dividedBy(6);
  }

  /**
   * Bound for a fenced transaction: the server aborts it when the client goes quiet this long inside it,
   * so a leader paused mid-run (SIGSTOP, a long GC) does not keep its locks. Half a lease, but at least
   * 2 s so a slow client on a busy machine is not cut off between two statements. (Correctness does not
   * depend on it: the lease is re-checked before every commit.)
   */
  public Duration idleInTransaction() {
    Duration half = lease.dividedBy(2);
    return half.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : half;
  }

  /**
   * Bound for one statement of a fenced transaction: long enough for moving rows out of a DEFAULT
   * partition, short enough that a stuck run ends (ten leases, at least a minute).
   */
  public Duration statement() {
    Duration tenLeases = lease.multipliedBy(10);
    return tenLeases.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : tenLeases;
  }

  /**
   * Upper bound from a leader's crash to a successor's lease: the lease runs out, then the grace, then
   * at most one candidate tick. (Candidates that saw the lease held schedule a try for the moment it
   * runs out, so usually the tick does not add up.)
   */
  public Duration worstCaseTakeover() {
    return lease.plus(hintlessGrace()).plus(tick());
  }

  /** A duration as PostgreSQL setting text, e.g. {@code 250ms}. */
  public static String pgDuration(Duration d) {
    return Math.max(1, d.toMillis()) + "ms";
  }
}
