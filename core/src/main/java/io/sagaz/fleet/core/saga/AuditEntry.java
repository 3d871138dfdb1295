package io.sagaz.fleet.core.saga;

import java.util.Map;

/**
 * One row of {@code saga_audit_log}: a transition of the saga ({@code step} null) or of a step.
 *
 * @param step   the step, or null for the saga itself
 * @param event  what happened ({@code saga.started}, {@code step.sent}, {@code step.succeeded}, ...)
 * @param from   status before
 * @param to     status after
 * @param detail extra facts (attempt, commandId, error, ...)
 */
public record AuditEntry(String step, String event, String from, String to, Map<String, Object> detail) {
  public AuditEntry {
    detail = detail == null ? Map.of() : Map.copyOf(detail);
  }
}
