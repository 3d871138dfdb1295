package io.sagaz.fleet.core.saga;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The persisted state of one saga execution; the state machine's input and output.
 *
 * @param sagaId      UUIDv7 of the execution
 * @param sagaName    definition name
 * @param sagaVersion definition version
 * @param status      saga status
 * @param steps       per-step state, in definition order
 * @param error       why the saga is failing, rolling back or FAILED; null while all is well. While
 *                    EXECUTING, a non-null error means "stop starting steps": a wait-all saga lets
 *                    its branches in flight finish before compensating
 * @param deadlineAt  when the saga must have finished, or null
 * @param createdAt   when it was started (the UUIDv7 time)
 * @param completedAt when it reached COMPLETED, ROLLED_BACK or FAILED, else null
 */
public record SagaState(
    UUID sagaId, String sagaName, int sagaVersion, SagaStatus status, Map<String, StepState> steps,
    String error, Instant deadlineAt, Instant createdAt, Instant completedAt) {

  public SagaState {
    steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
  }

  /** A saga not yet started: PENDING, every step PENDING. */
  public static SagaState initial(SagaDefinition def, UUID sagaId, Instant createdAt) {
    Map<String, StepState> steps = new LinkedHashMap<>();
    def.steps().forEach(s -> steps.put(s.name(), StepState.NEW));
    return new SagaState(sagaId, def.name(), def.version(), SagaStatus.PENDING, steps, null, null, createdAt, null);
  }

  public StepState step(String name) {
    return steps.get(name);
  }

  /** The replies of the steps that succeeded, by step name: what the next commands carry as context. */
  public Map<String, Object> context() {
    Map<String, Object> ctx = new LinkedHashMap<>();
    steps.forEach((name, s) -> {
      if (s.result() != null && (s.status() == StepStatus.SUCCEEDED || s.status() == StepStatus.COMPENSATING
          || s.status() == StepStatus.COMPENSATION_WAITING_RETRY || s.status() == StepStatus.COMPENSATION_FAILED)) {
        ctx.put(name, s.result());
      }
    });
    return ctx;
  }
}
