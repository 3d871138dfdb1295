package io.sagaz.fleet.core.saga;

/**
 * A saga definition that cannot be deployed. The message names the saga, the step (when one is at
 * fault) and the reason, e.g. {@code saga 'order' step 'ship': depends on unknown step 'pack'}.
 */
public final class SagaDefinitionException extends RuntimeException {
  private final String saga;
  private final String step;

  public SagaDefinitionException(String saga, String step, String reason) {
    super("saga '" + (saga == null ? "?" : saga) + "'" + (step == null ? "" : " step '" + step + "'") + ": " + reason);
    this.saga = saga;
    this.step = step;
  }

  /** The saga at fault (may be null when the name itself is missing). */
  public String saga() {
    return saga;
  }

  /** The step at fault, or null when the problem is with the saga as a whole. */
  public String step() {
    return step;
  }
}
