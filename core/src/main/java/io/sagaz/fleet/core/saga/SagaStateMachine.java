package io.sagaz.fleet.core.saga;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The saga logic as a pure function: {@code (definition, state, event) -> (new state, actions, audit
 * rows, lifecycle events)}. No I/O, no clock, no randomness: the same inputs always give the same
 * transition, which is what lets a node that takes a saga over replay it from the persisted state.
 *
 * <p>Rules, in short:
 * <ul>
 *   <li>Steps whose dependencies all succeeded are sent together; the saga completes when every step succeeded.
 *   <li>5xx failures, timeouts and missing participants are retried with backoff up to the step's attempts;
 *       4xx failures are business failures and are not retried.
 *   <li>A step that fails for good makes the saga fail: with {@code fail-fast} it starts compensating at
 *       once; with {@code wait-all} it starts nothing new and compensates when the branches in flight end.
 *   <li>Compensation runs in reverse dependency order: a step is undone once every step depending on it
 *       is settled, so the steps of one level are undone in parallel. Steps that succeeded are undone,
 *       and so are steps whose outcome is uncertain (timed out or 5xx on the last try).
 *   <li>Once a pivot step succeeded the saga only moves forward: failures are retried without limit, a
 *       business failure leaves the saga FAILED for an operator, cancel is refused, the deadline ignored.
 *   <li>A compensation that fails for good leaves the saga FAILED; {@link SagaEvent.OperatorRetry} runs it again.
 * </ul>
 */
public final class SagaStateMachine {
  private SagaStateMachine() {}

  /** Applies {@code event} to {@code state} of a saga defined by {@code def}. */
  public static Transition apply(SagaDefinition def, SagaState state, SagaEvent event) {
    Work w = new Work(def, state, event.at());
    if (event instanceof SagaEvent.Start) {
      w.start();
    } else if (event instanceof SagaEvent.StepSucceeded e) {
      w.succeeded(e);
    } else if (event instanceof SagaEvent.StepFailed e) {
      w.failed(e);
    } else if (event instanceof SagaEvent.Tick) {
      w.tick();
    } else if (event instanceof SagaEvent.Cancel e) {
      w.cancel(e.reason());
    } else if (event instanceof SagaEvent.Resume e) {
      w.resume(e.node());
    } else if (event instanceof SagaEvent.OperatorRetry) {
      w.operatorRetry();
    }
    return w.result();
  }

  /** The mutable scratch state of one application; never escapes {@link #apply}. */
  private static final class Work {
    private final SagaDefinition def;
    private final SagaState before;
    private final Instant at;
    private final Map<String, StepState> steps;
    private SagaStatus status;
    private String error;
    private Instant deadlineAt;
    private Instant completedAt;
    private final List<SagaAction> actions = new ArrayList<>();
    private final List<AuditEntry> audit = new ArrayList<>();
    private final List<LifecycleEvent> events = new ArrayList<>();
    private String rejection;
    private boolean changed;

    Work(SagaDefinition def, SagaState s, Instant at) {
      this.def = def;
      this.before = s;
      this.at = at;
      this.steps = new LinkedHashMap<>(s.steps());
      def.steps().forEach(d -> steps.putIfAbsent(d.name(), StepState.NEW));
      this.status = s.status();
      this.error = s.error();
      this.deadlineAt = s.deadlineAt();
      this.completedAt = s.completedAt();
    }

    void start() {
      if (status != SagaStatus.PENDING) {
        rejection = "saga " + before.sagaId() + " is already " + status;
        return;
      }
      deadlineAt = def.deadline().map(at::plus).orElse(null);
      setStatus(SagaStatus.EXECUTING, "saga.started");
      progress();
    }

    void succeeded(SagaEvent.StepSucceeded e) {
      StepState s = steps.get(e.step());
      if (s == null || !e.commandId().equals(s.commandId())) {
        return; // a stale or duplicate reply: the command it answers is no longer awaited
      }
      if (e.phase() == StepPhase.ACTION && s.status() == StepStatus.RUNNING) {
        setStep(e.step(), s.succeeded(e.result(), at), "step.succeeded", detail("attempt", s.attempt()));
        emit("step.succeeded", e.step());
        if (status == SagaStatus.COMPENSATING && def.step(e.step()).pivot()) {
          error = "pivot step '" + e.step() + "' completed while rolling back (" + error + "); the saga can no longer be rolled back";
        }
      } else if (e.phase() == StepPhase.COMPENSATION && s.status() == StepStatus.COMPENSATING) {
        setStep(e.step(), s.compensated(at), "step.compensated", detail("attempt", s.compensationAttempt()));
        emit("step.compensated", e.step());
      } else {
        return;
      }
      progress();
    }

    void failed(SagaEvent.StepFailed e) {
      StepState s = steps.get(e.step());
      if (s == null || !e.commandId().equals(s.commandId())) {
        return;
      }
      StepDefinition sd = def.step(e.step());
      String pivot = pivotPassed();
      if (e.phase() == StepPhase.ACTION && s.status() == StepStatus.RUNNING) {
        boolean canRetry = e.retryable() && status == SagaStatus.EXECUTING
            && (pivot != null || s.attempt() < sd.retry().maxAttempts());
        if (canRetry) {
          Instant due = at.plus(sd.retry().delayAfter(s.attempt()));
          setStep(e.step(), s.waiting(StepStatus.WAITING_RETRY, e.message(), e.code(), due), "step.retry_scheduled",
              detail("attempt", s.attempt(), "code", e.code(), "error", e.message(), "retryAt", due.toString()));
          return;
        }
        setStep(e.step(), s.failed(StepStatus.FAILED, e.message(), e.code(), e.retryable(), at), "step.failed",
            detail("attempt", s.attempt(), "code", e.code(), "error", e.message()));
        emit("step.failed", e.step());
        if (status == SagaStatus.EXECUTING && error == null) {
          error = "step '" + e.step() + "' failed: " + e.message() + (pivot == null ? "" : " (after pivot '" + pivot + "')");
          if (pivot == null && def.failureStrategy() == FailureStrategy.FAIL_FAST) {
            enterCompensation();
          }
        }
      } else if (e.phase() == StepPhase.COMPENSATION && s.status() == StepStatus.COMPENSATING) {
        if (e.retryable() && s.compensationAttempt() < sd.retry().maxAttempts()) {
          Instant due = at.plus(sd.retry().delayAfter(s.compensationAttempt()));
          setStep(e.step(), s.waiting(StepStatus.COMPENSATION_WAITING_RETRY, e.message(), e.code(), due),
              "compensation.retry_scheduled",
              detail("attempt", s.compensationAttempt(), "code", e.code(), "error", e.message(), "retryAt", due.toString()));
          return;
        }
        setStep(e.step(), s.failed(StepStatus.COMPENSATION_FAILED, e.message(), e.code(), s.uncertain(), at),
            "step.compensation_failed", detail("attempt", s.compensationAttempt(), "code", e.code(), "error", e.message()));
        emit("step.compensation_failed", e.step());
      } else {
        return;
      }
      progress();
    }

    void tick() {
      for (StepDefinition sd : def.steps()) {
        StepState s = steps.get(sd.name());
        boolean due = s.retryAt() != null && !s.retryAt().isAfter(at);
        if (due && s.status() == StepStatus.WAITING_RETRY && status == SagaStatus.EXECUTING) {
          send(sd, StepPhase.ACTION, s.attempt() + 1, "step.retried");
        } else if (due && s.status() == StepStatus.COMPENSATION_WAITING_RETRY) {
          send(sd, StepPhase.COMPENSATION, s.compensationAttempt() + 1, "compensation.retried");
        }
      }
      if (status == SagaStatus.EXECUTING && deadlineAt != null && !at.isBefore(deadlineAt) && pivotPassed() == null) {
        error = "deadline " + deadlineAt + " passed" + (error == null ? "" : " (" + error + ")");
        enterCompensation();
      }
      progress();
    }

    void cancel(String reason) {
      if (status == SagaStatus.COMPENSATING) {
        return; // already rolling back: cancelling again changes nothing
      }
      if (!status.active()) {
        rejection = "saga " + before.sagaId() + " is " + status + " and cannot be cancelled";
        return;
      }
      String pivot = pivotPassed();
      if (pivot != null) {
        rejection = "saga " + before.sagaId() + " passed pivot step '" + pivot + "' and can only move forward";
        return;
      }
      error = "cancelled" + (reason == null || reason.isBlank() ? "" : ": " + reason);
      audit.add(new AuditEntry(null, "saga.cancel_requested", status.name(), status.name(), detail("reason", reason)));
      changed = true;
      enterCompensation();
      progress();
    }

    void resume(String node) {
      if (status == SagaStatus.PENDING) {
        start();
        return;
      }
      if (!status.active()) {
        return;
      }
      audit.add(new AuditEntry(null, "saga.resumed", status.name(), status.name(), detail("node", node)));
      changed = true;
      for (StepDefinition sd : def.steps()) {
        StepState s = steps.get(sd.name());
        if (s.status() == StepStatus.RUNNING) {
          send(sd, StepPhase.ACTION, s.attempt(), "step.resent");
        } else if (s.status() == StepStatus.COMPENSATING) {
          send(sd, StepPhase.COMPENSATION, s.compensationAttempt(), "compensation.resent");
        }
      }
      progress();
    }

    void operatorRetry() {
      if (status != SagaStatus.FAILED) {
        rejection = "saga " + before.sagaId() + " is " + status + "; only a FAILED saga can be retried";
        return;
      }
      List<StepDefinition> compFailed = def.steps().stream()
          .filter(sd -> steps.get(sd.name()).status() == StepStatus.COMPENSATION_FAILED).toList();
      List<StepDefinition> forwardFailed = def.steps().stream()
          .filter(sd -> steps.get(sd.name()).status() == StepStatus.FAILED).toList();
      if (!compFailed.isEmpty()) {
        error = null;
        completedAt = null;
        setStatus(SagaStatus.COMPENSATING, "saga.compensating");
        // A fresh retry budget: the operator has presumably fixed what made the compensation fail.
        compFailed.forEach(sd -> send(sd, StepPhase.COMPENSATION, 1, "compensation.retried_by_operator"));
      } else if (pivotPassed() != null && !forwardFailed.isEmpty()) {
        error = null;
        completedAt = null;
        setStatus(SagaStatus.EXECUTING, "saga.executing");
        forwardFailed.forEach(sd -> send(sd, StepPhase.ACTION, 1, "step.retried_by_operator"));
      } else {
        rejection = "saga " + before.sagaId() + " has nothing an operator retry can run";
        return;
      }
      progress();
    }

    /** Moves the saga as far as the current step states allow. */
    private void progress() {
      while (true) {
        if (status == SagaStatus.EXECUTING) {
          if (error == null) {
            if (steps.values().stream().allMatch(s -> s.status() == StepStatus.SUCCEEDED)) {
              completedAt = at;
              setStatus(SagaStatus.COMPLETED, "saga.completed");
              return;
            }
            for (StepDefinition sd : def.steps()) {
              if (steps.get(sd.name()).status() == StepStatus.PENDING
                  && sd.dependsOn().stream().allMatch(d -> steps.get(d).status() == StepStatus.SUCCEEDED)) {
                send(sd, StepPhase.ACTION, 1, "step.sent");
              }
            }
            return;
          }
          if (steps.values().stream().anyMatch(s -> s.status() == StepStatus.RUNNING || s.status() == StepStatus.WAITING_RETRY)) {
            return; // wait-all, or past the pivot: let the branches in flight finish first
          }
          if (pivotPassed() != null) {
            completedAt = at;
            setStatus(SagaStatus.FAILED, "saga.failed");
            return;
          }
          enterCompensation();
          continue;
        }
        if (status == SagaStatus.COMPENSATING) {
          if (pivotPassed() == null) {
            List<StepDefinition> reversed = new ArrayList<>(def.steps());
            java.util.Collections.reverse(reversed);
            for (StepDefinition sd : reversed) {
              if (needsCompensation(sd) && def.dependents(sd.name()).stream().allMatch(this::settled)) {
                send(sd, StepPhase.COMPENSATION, 1, "compensation.sent");
              }
            }
          }
          if (def.steps().stream().allMatch(this::settled)) {
            completedAt = at;
            setStatus(SagaStatus.ROLLED_BACK, "saga.rolled_back");
          } else if (steps.values().stream().noneMatch(Work::inFlight)) {
            completedAt = at;
            error = describeStuck();
            setStatus(SagaStatus.FAILED, "saga.failed");
          }
        }
        return;
      }
    }

    private void enterCompensation() {
      for (StepDefinition sd : def.steps()) {
        StepState s = steps.get(sd.name());
        if (s.status() == StepStatus.WAITING_RETRY) {
          setStep(sd.name(), s.failed(StepStatus.FAILED, s.error(), s.errorCode(), true, at), "step.abandoned",
              detail("attempt", s.attempt(), "error", s.error()));
        }
      }
      setStatus(SagaStatus.COMPENSATING, "saga.compensating");
    }

    private String describeStuck() {
      List<String> parts = new ArrayList<>();
      steps.forEach((name, s) -> {
        if (s.status() == StepStatus.COMPENSATION_FAILED) {
          parts.add("compensation of step '" + name + "' failed: " + s.error());
        }
      });
      if (parts.isEmpty()) {
        return error == null ? "rollback could not finish" : error;
      }
      return String.join("; ", parts) + (error == null ? "" : " (rolling back because " + error + ")");
    }

    private boolean needsCompensation(StepDefinition sd) {
      StepState s = steps.get(sd.name());
      boolean mayHaveHappened = s.status() == StepStatus.SUCCEEDED || (s.status() == StepStatus.FAILED && s.uncertain());
      return mayHaveHappened && sd.hasCompensation() && !sd.pivot();
    }

    private boolean settled(StepDefinition sd) {
      StepState s = steps.get(sd.name());
      return switch (s.status()) {
        case PENDING, COMPENSATED -> true;
        case FAILED -> !s.uncertain() || !sd.hasCompensation();
        case SUCCEEDED -> !sd.hasCompensation();
        default -> false;
      };
    }

    private static boolean inFlight(StepState s) {
      return switch (s.status()) {
        case RUNNING, WAITING_RETRY, COMPENSATING, COMPENSATION_WAITING_RETRY -> true;
        default -> false;
      };
    }

    /** The first pivot step that succeeded, or null while the saga may still roll back. */
    private String pivotPassed() {
      for (StepDefinition sd : def.steps()) {
        if (sd.pivot() && steps.get(sd.name()).status() == StepStatus.SUCCEEDED) {
          return sd.name();
        }
      }
      return null;
    }

    private void send(StepDefinition sd, StepPhase phase, int tries, String auditEvent) {
      UUID id = CommandIds.of(before.sagaId(), sd.name(), phase);
      StepState next = steps.get(sd.name()).sent(phase, tries, id, at);
      setStep(sd.name(), next, auditEvent, detail("attempt", tries, "commandId", id.toString()));
      String address = phase == StepPhase.ACTION ? sd.action() : sd.compensation();
      actions.add(new SagaAction.SendCommand(sd.name(), phase, tries, id, address, sd.timeout()));
    }

    private void setStep(String name, StepState next, String event, Map<String, Object> detail) {
      StepState prev = steps.put(name, next);
      audit.add(new AuditEntry(name, event, prev.status().name(), next.status().name(), detail));
      changed = true;
    }

    private void setStatus(SagaStatus next, String event) {
      SagaStatus prev = status;
      status = next;
      audit.add(new AuditEntry(null, event, prev.name(), next.name(), detail("error", error)));
      events.add(new LifecycleEvent(event, next, null, at));
      changed = true;
    }

    private void emit(String type, String step) {
      events.add(new LifecycleEvent(type, status, step, at));
    }

    private static Map<String, Object> detail(Object... kv) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i + 1 < kv.length; i += 2) {
        if (kv[i + 1] != null) {
          m.put(String.valueOf(kv[i]), kv[i + 1]);
        }
      }
      return m;
    }

    Transition result() {
      SagaState after = new SagaState(before.sagaId(), before.sagaName(), before.sagaVersion(), status, steps, error,
          deadlineAt, before.createdAt(), completedAt);
      Instant next = nextTick();
      if (next != null && rejection == null) {
        actions.add(new SagaAction.ScheduleTick(next));
      }
      return new Transition(after, actions, audit, events, rejection, changed && rejection == null);
    }

    /** The earliest retry due or, while it can still matter, the saga deadline. */
    private Instant nextTick() {
      if (!status.active()) {
        return null;
      }
      Instant next = null;
      for (StepState s : steps.values()) {
        if (s.retryAt() != null && (s.status() == StepStatus.WAITING_RETRY || s.status() == StepStatus.COMPENSATION_WAITING_RETRY)) {
          next = next == null || s.retryAt().isBefore(next) ? s.retryAt() : next;
        }
      }
      if (status == SagaStatus.EXECUTING && deadlineAt != null && pivotPassed() == null) {
        next = next == null || deadlineAt.isBefore(next) ? deadlineAt : next;
      }
      return next;
    }
  }
}
