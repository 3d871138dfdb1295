package io.sagaz.fleet.core.outbox;

/**
 * An outbox event broke a write-time rule. {@link #field()} names the field at fault, so the caller
 * (and the 400 reply built from this) can say exactly what to fix. Nothing was written.
 */
public final class OutboxValidationException extends IllegalArgumentException {
  private final String field;

  public OutboxValidationException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The event field that was wrong, e.g. {@code topic} or {@code events[3].payload}. */
  public String field() {
    return field;
  }
}
