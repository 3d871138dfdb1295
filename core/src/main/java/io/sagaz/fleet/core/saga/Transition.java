package io.sagaz.fleet.core.saga;

import java.util.List;

/**
 * The result of applying one event: the new state and what to record and do.
 * The orchestrator persists {@code state}, {@code audit} and {@code events} in one transaction, then
 * performs {@code actions}. A transition that changed nothing ({@link #changed()} false) is not written.
 *
 * @param state     the state after the event
 * @param actions   commands to send and timers to set, after commit
 * @param audit     audit-log rows
 * @param events    lifecycle events for the outbox and the event bus
 * @param rejection why the event was refused (e.g. cancelling a finished saga), or null
 * @param changed   whether anything is to be written
 */
public record Transition(
    SagaState state, List<SagaAction> actions, List<AuditEntry> audit, List<LifecycleEvent> events,
    String rejection, boolean changed) {

  public Transition {
    actions = List.copyOf(actions);
    audit = List.copyOf(audit);
    events = List.copyOf(events);
  }

  public boolean rejected() {
    return rejection != null;
  }
}
