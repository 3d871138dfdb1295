package io.sagaz.fleet.core.saga;

/** Where a saga stands. FAILED means a compensation failed and an operator must act. */
public enum SagaStatus {
  PENDING,
  EXECUTING,
  COMPLETED,
  COMPENSATING,
  ROLLED_BACK,
  FAILED;

  /** Still moving on its own (owned by a node under a lease). */
  public boolean active() {
    return this == PENDING || this == EXECUTING || this == COMPENSATING;
  }

  /** COMPLETED or ROLLED_BACK: nothing more will happen. */
  public boolean finished() {
    return this == COMPLETED || this == ROLLED_BACK;
  }
}
