package io.sagaz.fleet.maintenance;

import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.partition.InvalidPartitionInputException;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.DatabaseException;

/**
 * Why maintenance work did not happen, with the {@link FailureCode} its requester gets. This is the one
 * place the maintenance module maps SQLSTATEs to failure codes.
 */
class MaintenanceFailure extends RuntimeException {
  private final FailureCode code;

  MaintenanceFailure(FailureCode code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  FailureCode code() {
    return code;
  }

  /** Replies to a request with this failure's code and text. */
  void failReply(Message<?> message) {
    message.fail(code.code(), getMessage());
  }

  /** The lease is not (or no longer) held under the epoch the work started with. */
  static final class Fenced extends MaintenanceFailure {
    Fenced(String message) {
      super(FailureCode.NOT_LEADER, "fenced: " + message, null);
    }
  }

  /** Another transaction holds the maintenance advisory lock: 423, a lock not held (design.md section 4). */
  static final class Busy extends MaintenanceFailure {
    Busy(String message) {
      super(FailureCode.NOT_LEADER, message, null);
    }
  }

  /** Bad input named by field; nothing was changed. */
  static MaintenanceFailure invalid(String message) {
    return new MaintenanceFailure(FailureCode.INVALID, message, null);
  }

  static MaintenanceFailure from(Throwable err) {
    if (err instanceof MaintenanceFailure f) {
      return f;
    }
    if (err instanceof InvalidPartitionInputException e) {
      return invalid(e.getMessage());
    }
    String state = sqlState(err);
    if (state == null) {
      return new MaintenanceFailure(FailureCode.INTERNAL, String.valueOf(err.getMessage()), err);
    }
    FailureCode code = switch (state) {
      // invalid_parameter_value: the partition functions refuse unknown tables and reversed ranges
      case "22023", "22007", "22008", "22P02" -> FailureCode.INVALID;
      // lock_not_available: lock_timeout ended the wait for a table lock, which is a lock not held
      case "55P03" -> FailureCode.NOT_LEADER;
      case "40P01", "40001", "57014" -> FailureCode.CONFLICT;
      case "08000", "08003", "08006", "57P01", "57P02", "57P03", "53300" -> FailureCode.DEPENDENCY_DOWN;
      default -> FailureCode.INTERNAL;
    };
    return new MaintenanceFailure(code, err.getMessage() + " (SQLSTATE " + state + ")", err);
  }

  /** True when trying again may succeed: a lock not granted in time, a deadlock, a busy advisory lock. */
  static boolean isTransient(Throwable err) {
    if (err instanceof Busy) {
      return true;
    }
    String state = sqlState(err);
    // lock_not_available (lock_timeout), deadlock_detected, serialization_failure
    return "55P03".equals(state) || "40P01".equals(state) || "40001".equals(state);
  }

  static String sqlState(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof DatabaseException db) {
        return db.getSqlState();
      }
    }
    return null;
  }
}
