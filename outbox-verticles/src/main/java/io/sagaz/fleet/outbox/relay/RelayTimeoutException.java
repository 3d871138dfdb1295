package io.sagaz.fleet.outbox.relay;

/**
 * The broker took the event and gave no answer for it within the relay's own timeout (Kafka's
 * {@code delivery.timeout.ms}, which expires before the poller's attempt timeout). Alone it is a
 * failed attempt of this event, like the poller's own timeout; when no event of a window got any
 * answer, the poller takes the window for an outage (see {@code OutboxPoller}).
 */
public final class RelayTimeoutException extends RuntimeException {
  public RelayTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
