package io.sagaz.fleet.client.saga;

import io.sagaz.fleet.core.failure.FailureCode;

/**
 * Thrown (or failed with) by a participant handler to answer a step command with a failure code:
 * 4xx is a business failure (the orchestrator compensates, no retry), 5xx is retried with backoff.
 */
public final class StepFailure extends RuntimeException {
  private final int code;

  public StepFailure(FailureCode code, String message) {
    this(code.code(), message);
  }

  public StepFailure(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
