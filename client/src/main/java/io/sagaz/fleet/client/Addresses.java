package io.sagaz.fleet.client;

/**
 * Every event-bus address the fleet uses (design.md section 4). Bodies are JSON objects with a
 * {@code version} field; failures use {@link io.sagaz.fleet.core.failure.FailureCode}.
 */
public final class Addresses {
  private Addresses() {}

  /** {@code {saga, input, idempotencyKey?}} -> {@code {sagaId, status}}. */
  public static final String SAGA_START = "sagaz.saga.start";
  /** {@code {sagaId}} -> the saga view. */
  public static final String SAGA_GET = "sagaz.saga.get";
  /** {@code {status?, name?, limit?}} -> {@code {sagas: [...]}}. */
  public static final String SAGA_LIST = "sagaz.saga.list";
  /** {@code {sagaId}} -> {@code {sagaId, status}}. */
  public static final String SAGA_CANCEL = "sagaz.saga.cancel";
  /** {@code {sagaId}}: operator retry of a FAILED saga's compensation. */
  public static final String SAGA_RETRY_COMPENSATION = "sagaz.saga.retry-compensation";
  /** {@code {}} or {@code {name}} -> saga definitions with their Mermaid diagrams. */
  public static final String SAGA_DEFINITIONS = "sagaz.saga.definitions";
  /** Published lifecycle events {@code {sagaId, saga, status, step?, at}}. */
  public static final String SAGA_EVENTS = "sagaz.saga.events";

  /** Published after a commit that wrote outbox rows: pollers wake up instead of waiting a full interval. */
  public static final String OUTBOX_WAKEUP = "sagaz.outbox.wakeup";
  /** Prefix of the addresses the event-bus relay delivers to: {@code sagaz.outbox.<topic>}. */
  public static final String OUTBOX_TOPIC_PREFIX = "sagaz.outbox.";

  /** {@code {}} -> {@code {counts: {pending: n, ...}, oldestPendingAgeSeconds, deadLetters}}. */
  public static final String OUTBOX_STATS = "sagaz.outbox.stats";
  /** {@code {limit?, topic?, eventType?}} -> {@code {deadLetters: [...]}}. */
  public static final String OUTBOX_DEAD_LETTERS = "sagaz.outbox.dead-letters";
  /** {@code {ids?: [...], filter?: {topic?, eventType?, olderThan?}}} -> {@code {replayed: n}}. */
  public static final String OUTBOX_REPLAY = "sagaz.outbox.dead-letters.replay";

  /** {@code {}} -> {@code {partitions: [...], defaults: [...]}} (get_partition_statistics()). */
  public static final String PARTITIONS_LIST = "sagaz.partitions.list";
  /** Leader only: {@code {table, from, to}} -> {@code {actions: [...]}}. */
  public static final String PARTITIONS_CREATE = "sagaz.partitions.create";
  /** Leader only: {@code {table, olderThan}} -> {@code {actions: [...]}}. */
  public static final String PARTITIONS_DROP = "sagaz.partitions.drop";
  /** Routed to the maintenance leader: run maintenance now; 423 when this node is not the leader. */
  public static final String MAINTENANCE_RUN = "sagaz.maintenance.run";
  /** Asks the maintenance verticles who leads: {@code {leader, epoch, since}}. */
  public static final String MAINTENANCE_LEADER = "sagaz.maintenance.leader";
  /** Published by a maintenance leader that ended its lease: {@code {holder, epoch}}; candidates try at once. */
  public static final String MAINTENANCE_LEASE_RELEASED = "sagaz.maintenance.lease-released";

  /** The event-bus address the event-bus relay delivers an event of this topic to. */
  public static String outboxTopic(String topic) {
    return OUTBOX_TOPIC_PREFIX + topic;
  }
}
