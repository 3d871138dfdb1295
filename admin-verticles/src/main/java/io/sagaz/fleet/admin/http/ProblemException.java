package io.sagaz.fleet.admin.http;

/**
 * A failure that already knows its HTTP status and detail; handlers pass it to {@code ctx.fail(...)}
 * and {@link ProblemHandler} renders it.
 */
public final class ProblemException extends RuntimeException {
  private final int status;

  public ProblemException(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
