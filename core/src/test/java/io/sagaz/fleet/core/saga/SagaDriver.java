package io.sagaz.fleet.core.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Drives the pure state machine in tests the way the orchestrator does: apply, keep the new state. */
final class SagaDriver {
  final SagaDefinition def;
  SagaState state;
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  Transition last;
  final List<SagaAction.SendCommand> sent = new ArrayList<>();
  final List<AuditEntry> audit = new ArrayList<>();
  final List<LifecycleEvent> events = new ArrayList<>();

  SagaDriver(SagaDefinition def) {
    this.def = def;
    this.state = SagaState.initial(def, UuidV7.generate(now), now);
  }

  Transition apply(SagaEvent e) {
    last = SagaStateMachine.apply(def, state, e);
    if (!last.rejected()) {
      state = last.state();
      audit.addAll(last.audit());
      events.addAll(last.events());
      last.actions().forEach(a -> {
        if (a instanceof SagaAction.SendCommand c) {
          sent.add(c);
        }
      });
    }
    return last;
  }

  SagaDriver start() {
    apply(new SagaEvent.Start(now));
    return this;
  }

  /** Names of the commands the last transition sent, as {@code step/phase}. */
  List<String> lastSends() {
    return last.actions().stream().filter(a -> a instanceof SagaAction.SendCommand)
        .map(a -> ((SagaAction.SendCommand) a).step() + "/" + ((SagaAction.SendCommand) a).phase().id()).toList();
  }

  List<String> allSends() {
    return sent.stream().map(c -> c.step() + "/" + c.phase().id()).toList();
  }

  Transition ok(String step) {
    StepState s = state.step(step);
    StepPhase phase = s.status() == StepStatus.RUNNING ? StepPhase.ACTION : StepPhase.COMPENSATION;
    return apply(new SagaEvent.StepSucceeded(step, phase, s.commandId(), Map.of("done", step), now));
  }

  Transition fail(String step, int code) {
    StepState s = state.step(step);
    StepPhase phase = s.status() == StepStatus.RUNNING ? StepPhase.ACTION : StepPhase.COMPENSATION;
    return apply(new SagaEvent.StepFailed(step, phase, s.commandId(), code, "boom " + code, code >= 500 || code < 0, now));
  }

  Transition timeout(String step) {
    return fail(step, -1);
  }

  Transition tickAfter(Duration d) {
    now = now.plus(d);
    return apply(new SagaEvent.Tick(now));
  }

  StepStatus status(String step) {
    return state.step(step).status();
  }

  UUID commandId(String step) {
    return state.step(step).commandId();
  }
}
