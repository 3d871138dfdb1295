package io.sagaz.fleet.core.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Outbox pollers (design.md sections 3, 4, 7).
 *
 * @param relay           where events go
 * @param ordering        {@code none} or {@code per-aggregate}
 * @param pollers         poller verticle instances per node
 * @param batchSize       rows claimed per statement
 * @param maxInFlight     publishes awaiting broker acks per poller
 * @param pollInterval    fallback poll period when no wake-up hint arrives
 * @param maxAttempts     attempts before an event goes to {@code dead_letter}
 * @param backoffBase     first retry delay (doubles per attempt, with jitter)
 * @param backoffMax      cap on the retry delay
 * @param claimTimeout    a claim older than this is considered abandoned and recovered
 * @param shards          shard count for ordered mode
 * @param maxPayloadBytes largest payload {@code OutboxWriter} accepts
 * @param lookbackDays    how many daily partitions back a claim looks at
 */
public record OutboxConfig(
    Relay relay,
    Ordering ordering,
    int pollers,
    int batchSize,
    int maxInFlight,
    Duration pollInterval,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax,
    Duration claimTimeout,
    int shards,
    int maxPayloadBytes,
    int lookbackDays) {

  public enum Relay {
    EVENTBUS, KAFKA, RABBITMQ;

    public static Relay parse(String key, String v) {
      return switch (v == null ? "" : v.trim().toLowerCase(Locale.ROOT)) {
        case "eventbus", "event-bus" -> EVENTBUS;
        case "kafka" -> KAFKA;
        case "rabbitmq", "amqp" -> RABBITMQ;
        default -> throw new ConfigException(key, "unknown relay '" + v + "', expected eventbus, kafka or rabbitmq");
      };
    }
  }

  public enum Ordering {
    NONE, PER_AGGREGATE;

    public static Ordering parse(String key, String v) {
      return switch (v == null ? "" : v.trim().toLowerCase(Locale.ROOT)) {
        case "none", "" -> NONE;
        case "per-aggregate", "per_aggregate" -> PER_AGGREGATE;
        default -> throw new ConfigException(key, "unknown ordering '" + v + "', expected none or per-aggregate");
      };
    }
  }

  /** The floor of {@link #maxLoadBytes()}. */
  public static final int MIN_LOAD_BYTES = 16 << 20;

  /**
   * The largest payload, or headers, a poller loads, as PostgreSQL renders the jsonb (with a space
   * after every ':' and ','): eight times {@code maxPayloadBytes}, at least 16 MiB, so no event that
   * {@code OutboxWriter} accepted comes near it. A bigger one can only be a row written by hand; loading
   * it could exhaust the node's memory, and after the crash the next node would claim it and crash too.
   * The poller fails it without loading it, and it ends in dead letters saying why.
   */
  public int maxLoadBytes() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_LOAD_BYTES, 8L * maxPayloadBytes));
  }

  public OutboxConfig {
    if (relay == null) throw new ConfigException("outbox.relay", "must be set");
    if (ordering == null) throw new ConfigException("outbox.ordering", "must be set");
    Check.atLeast("outbox.pollers", pollers, 0);
    Check.positive("outbox.batchSize", batchSize);
    Check.positive("outbox.maxInFlight", maxInFlight);
    Check.positive("outbox.pollInterval", pollInterval);
    Check.positive("outbox.maxAttempts", maxAttempts);
    Check.positive("outbox.backoffBase", backoffBase);
    Check.positive("outbox.backoffMax", backoffMax);
    Check.positive("outbox.claimTimeout", claimTimeout);
    Check.positive("outbox.shards", shards);
    Check.positive("outbox.maxPayloadBytes", maxPayloadBytes);
    Check.positive("outbox.lookbackDays", lookbackDays);
  }
}
