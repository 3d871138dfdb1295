package io.sagaz.fleet.core.saga;

import java.time.Instant;
import java.util.UUID;

/** Something that happened to a saga; fed to {@link SagaStateMachine#apply}. Every event carries its time. */
public sealed interface SagaEvent {
  Instant at();

  /** Start a PENDING saga. */
  record Start(Instant at) implements SagaEvent {}

  /** A participant replied with success to the command {@code commandId}. */
  record StepSucceeded(String step, StepPhase phase, UUID commandId, Object result, Instant at) implements SagaEvent {}

  /**
   * A command failed: a failure reply with {@code code}, or a timeout ({@code code} = -1).
   * {@code retryable} is true for 5xx codes, timeouts and a missing participant; false for 4xx.
   */
  record StepFailed(String step, StepPhase phase, UUID commandId, int code, String message, boolean retryable, Instant at)
      implements SagaEvent {}

  /** A timer the machine asked for went off: due retries and the saga deadline are checked. */
  record Tick(Instant at) implements SagaEvent {}

  /** Someone asked to cancel: a running saga compensates what it completed. */
  record Cancel(String reason, Instant at) implements SagaEvent {}

  /** A node took the saga over (recovery): commands in flight are sent again with the same ids. */
  record Resume(String node, Instant at) implements SagaEvent {}

  /** An operator retries a FAILED saga: failed compensations (or a step failed past the pivot) run again. */
  record OperatorRetry(Instant at) implements SagaEvent {}
}
