package io.sagaz.fleet.core.saga;

/** Where one step stands, across its action and its compensation. */
public enum StepStatus {
  /** Not started (and, if the saga rolls back, never will be). */
  PENDING,
  /** Action command sent, reply awaited. */
  RUNNING,
  /** Action failed retryably; waiting for the backoff to pass. */
  WAITING_RETRY,
  /** Action succeeded; its reply is in the saga context. */
  SUCCEEDED,
  /** Action failed for good (business failure, or retries used up). */
  FAILED,
  /** Compensation command sent, reply awaited. */
  COMPENSATING,
  /** Compensation failed retryably; waiting for the backoff to pass. */
  COMPENSATION_WAITING_RETRY,
  /** Compensation succeeded. */
  COMPENSATED,
  /** Compensation failed for good: the saga is FAILED until an operator retries it. */
  COMPENSATION_FAILED
}
