package io.sagaz.fleet.core.saga;

import java.time.Instant;
import java.util.UUID;

/**
 * The persisted state of one step.
 *
 * @param status              where the step stands
 * @param attempt             tries of the action so far (0 = never sent)
 * @param compensationAttempt tries of the compensation so far
 * @param commandId           id of the command of the current phase; stable across retries and recovery
 * @param result              the participant's reply to the action (a JSON tree), or null
 * @param error               last failure text, or null
 * @param errorCode           last failure code (a {@code FailureCode} number, or -1 for a timeout), or null
 * @param uncertain           the action may have taken effect although it never succeeded (timeouts and
 *                            5xx failures): such a step is compensated too, since compensations must be
 *                            safe when the step never happened
 * @param retryAt             when a step waiting for a retry is due, else null
 * @param sentAt              when the current command was (last) sent
 * @param finishedAt          when the step last reached a settled status
 */
public record StepState(
    StepStatus status, int attempt, int compensationAttempt, UUID commandId, Object result, String error,
    Integer errorCode, boolean uncertain, Instant retryAt, Instant sentAt, Instant finishedAt) {

  /** A step that has not started. */
  public static final StepState NEW = new StepState(StepStatus.PENDING, 0, 0, null, null, null, null, false, null, null, null);

  public StepState withStatus(StepStatus s) {
    return new StepState(s, attempt, compensationAttempt, commandId, result, error, errorCode, uncertain, retryAt, sentAt, finishedAt);
  }

  StepState sent(StepPhase phase, int tries, UUID id, Instant at) {
    StepStatus s = phase == StepPhase.ACTION ? StepStatus.RUNNING : StepStatus.COMPENSATING;
    int a = phase == StepPhase.ACTION ? tries : attempt;
    int c = phase == StepPhase.COMPENSATION ? tries : compensationAttempt;
    return new StepState(s, a, c, id, result, error, errorCode, uncertain, null, at, finishedAt);
  }

  StepState succeeded(Object reply, Instant at) {
    return new StepState(StepStatus.SUCCEEDED, attempt, compensationAttempt, commandId, reply, null, null, false, null, sentAt, at);
  }

  StepState compensated(Instant at) {
    return new StepState(StepStatus.COMPENSATED, attempt, compensationAttempt, commandId, result, error, errorCode, uncertain, null, sentAt, at);
  }

  StepState failed(StepStatus s, String text, Integer code, boolean maybeHappened, Instant at) {
    return new StepState(s, attempt, compensationAttempt, commandId, result, text, code, maybeHappened, null, sentAt, at);
  }

  StepState waiting(StepStatus s, String text, Integer code, Instant due) {
    return new StepState(s, attempt, compensationAttempt, commandId, result, text, code, uncertain, due, sentAt, finishedAt);
  }
}
