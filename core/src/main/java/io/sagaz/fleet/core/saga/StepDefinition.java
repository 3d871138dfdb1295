package io.sagaz.fleet.core.saga;

import java.time.Duration;
import java.util.List;

/**
 * One step of a saga: a command sent to {@code action}, undone by a command to {@code compensation}.
 *
 * @param name         unique within the saga
 * @param action       event-bus address of the participant that performs the step
 * @param compensation address that undoes it, or null when the step needs no undo
 * @param dependsOn    steps that must have succeeded first; none means the step starts with the saga
 * @param timeout      how long to wait for one reply before the try counts as failed (retryable)
 * @param retry        tries and backoff for retryable failures (5xx codes and timeouts)
 * @param pivot        once this step succeeds the saga only moves forward: it is never rolled back
 */
public record StepDefinition(
    String name, String action, String compensation, List<String> dependsOn, Duration timeout, RetryPolicy retry, boolean pivot) {
  /** Default time to wait for one reply. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public StepDefinition {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retry = retry == null ? RetryPolicy.NONE : retry;
  }

  public boolean hasCompensation() {
    return compensation != null;
  }
}
