package io.sagaz.fleet.outbox.relay;

/**
 * The broker could not be reached, so the event was never offered to it: not a failed delivery of
 * this event but an outage of the relay. The poller counts no attempt for it and stops claiming until
 * the broker answers again (see {@code OutboxPoller}), so an outage longer than the retry budget
 * dead-letters nothing. A relay raises it only when it knows the connection itself is missing; the
 * poller raises it when the broker answered none of the events of a window, by the attempt timeout
 * or the relay's own ({@link RelayTimeoutException}): a hung broker, RabbitMQ blocking publishers on
 * a memory alarm. A broker that is reachable
 * and refuses an event (unroutable, nacked, unknown topic), or answers some events and not others,
 * fails those events as before.
 */
public final class RelayUnavailableException extends RuntimeException {
  public RelayUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
