package io.sagaz.fleet.core.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Something the orchestrator must do after the transition that asked for it has committed. */
public sealed interface SagaAction {

  /** Send a step command to {@code address} and feed the reply (or its timeout) back as an event. */
  record SendCommand(String step, StepPhase phase, int attempt, UUID commandId, String address, Duration timeout)
      implements SagaAction {}

  /** Feed a {@link SagaEvent.Tick} at {@code at} (retry backoff, saga deadline). */
  record ScheduleTick(Instant at) implements SagaAction {}
}
