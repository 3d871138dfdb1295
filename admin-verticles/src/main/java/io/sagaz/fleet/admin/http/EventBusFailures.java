package io.sagaz.fleet.admin.http;

import io.sagaz.fleet.core.failure.FailureCode;
import io.vertx.core.eventbus.ReplyException;

/**
 * Maps an event-bus failure to the HTTP status and detail the admin API answers with (house style 7 and
 * 10): the failure type first ({@code TIMEOUT} and {@code NO_HANDLERS} carry no code), then the
 * {@link FailureCode}, which maps 1:1.
 */
public final class EventBusFailures {
  private EventBusFailures() {}

  /**
   * @param address          the address the request went to, named in the detail
   * @param noHandlersStatus the status when nobody serves the address: 503, or 423 where only the
   *                         maintenance leader serves it
   */
  public static ProblemException toProblem(ReplyException e, String address, int noHandlersStatus) {
    return switch (e.failureType()) {
      case TIMEOUT -> new ProblemException(504, "no reply from " + address + " in time: " + e.getMessage());
      case NO_HANDLERS -> new ProblemException(noHandlersStatus, noHandlersStatus == FailureCode.NOT_LEADER.code()
          ? "no maintenance leader serves " + address + " right now; retry when one is elected"
          : "no node serves " + address + " right now");
      case RECIPIENT_FAILURE -> fromCode(e, address);
      case ERROR -> new ProblemException(500, "event-bus error sending to " + address + ": " + e.getMessage());
    };
  }

  private static ProblemException fromCode(ReplyException e, String address) {
    String reason = e.getMessage() == null ? "(no reason given)" : e.getMessage();
    return FailureCode.of(e.failureCode())
        .map(code -> new ProblemException(code.code(), reason))
        // A code outside the table is a bug in the consumer: say so rather than guess what it meant.
        .orElseGet(() -> new ProblemException(500,
            address + " failed with unknown code " + e.failureCode() + ": " + reason));
  }
}
