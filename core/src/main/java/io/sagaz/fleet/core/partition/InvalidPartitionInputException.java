package io.sagaz.fleet.core.partition;

import io.sagaz.fleet.core.failure.FailureCode;

/**
 * A table name, date range or age given by a person or a request is not valid. The message names the
 * value and what was expected; nothing has been changed when this is thrown.
 */
public final class InvalidPartitionInputException extends IllegalArgumentException {
  public InvalidPartitionInputException(String message) {
    super(message);
  }

  public InvalidPartitionInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Always {@link FailureCode#INVALID}: the caller sent something wrong. */
  public FailureCode failureCode() {
    return FailureCode.INVALID;
  }
}
