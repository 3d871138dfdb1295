package io.sagaz.fleet.saga;

import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.saga.SagaAction;
import io.sagaz.fleet.core.saga.SagaEvent;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Turns a participant's answer to a step command into the event the state machine takes
 * (design.md section 4): a reply is the step's result; a 4xx failure is a business failure (not
 * retried); a 5xx failure, a timeout or no participant on the address is retryable.
 */
final class StepReplies {
  private StepReplies() {}

  static SagaEvent succeeded(SagaAction.SendCommand c, Message<Object> reply) {
    Object body = reply.body();
    JsonObject result = body instanceof JsonObject o ? o : new JsonObject().put("value", body);
    return new SagaEvent.StepSucceeded(c.step(), c.phase(), c.commandId(), result, Instant.now());
  }

  static SagaEvent failed(SagaAction.SendCommand c, Throwable err) {
    int code = FailureCode.INTERNAL.code();
    String text = String.valueOf(err.getMessage());
    if (err instanceof ReplyException re) {
      switch (re.failureType()) {
        case TIMEOUT -> {
          code = -1;
          text = "no reply from " + c.address() + " within " + c.timeout().toMillis() + " ms";
        }
        case NO_HANDLERS -> {
          code = FailureCode.DEPENDENCY_DOWN.code();
          text = "no participant on " + c.address();
        }
        default -> code = re.failureCode();
      }
    }
    boolean business = code >= 400 && code < 500;
    return new SagaEvent.StepFailed(c.step(), c.phase(), c.commandId(), code, text, !business, Instant.now());
  }
}
