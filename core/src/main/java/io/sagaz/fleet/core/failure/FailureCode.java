package io.sagaz.fleet.core.failure;

import java.util.Arrays;
import java.util.Optional;

/**
 * The one failure-code table shared by every event-bus address and HTTP route (design.md section 4).
 *
 * <p>Event-bus replies fail with {@code message.fail(code.code(), text)}; the admin API maps the same
 * numbers 1:1 to HTTP statuses, so a client sees the same code whichever way it came in.
 */
public enum FailureCode {
  /** The request was malformed or violated a rule; nothing was changed. */
  INVALID(400),
  /** The thing named does not exist. */
  NOT_FOUND(404),
  /** The request conflicts with current state (e.g. cancelling a finished saga). */
  CONFLICT(409),
  /** This node is not the leader, or a required lock or lease is not held. */
  NOT_LEADER(423),
  /** An unexpected error inside the fleet. */
  INTERNAL(500),
  /** A dependency (database, broker) is unreachable; retrying later may succeed. */
  DEPENDENCY_DOWN(503);

  private final int code;

  FailureCode(int code) {
    this.code = code;
  }

  /** The numeric code, equal to the HTTP status it maps to. */
  public int code() {
    return code;
  }

  /** True for business failures that must not be retried (4xx). */
  public boolean isClientError() {
    return code >= 400 && code < 500;
  }

  /** The code with this number, if it is one of ours. */
  public static Optional<FailureCode> of(int code) {
    return Arrays.stream(values()).filter(c -> c.code == code).findFirst();
  }
}
