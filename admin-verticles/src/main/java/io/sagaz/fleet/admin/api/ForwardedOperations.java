package io.sagaz.fleet.admin.api;

import io.sagaz.fleet.client.Addresses;
import java.util.List;

/**
 * Every API operation answered by another verticle over the event bus. To add one: describe it in
 * {@code openapi/sagaz-admin.yaml} (with an operationId and request schemas), add its address to
 * {@code Addresses}, and add one line here. The router refuses to start if an operation of the
 * document has no line here and no local handler, so nothing is left unserved silently.
 */
public final class ForwardedOperations {
  private ForwardedOperations() {}

  public static final List<Forward> ALL = List.of(
      Forward.to("startSaga", Addresses.SAGA_START).status(202),
      Forward.to("listSagas", Addresses.SAGA_LIST),
      Forward.to("getSaga", Addresses.SAGA_GET).rename("saga", "sagaId"),
      Forward.to("cancelSaga", Addresses.SAGA_CANCEL).rename("id", "sagaId"),
      Forward.to("retrySagaCompensation", Addresses.SAGA_RETRY_COMPENSATION).rename("id", "sagaId"),
      Forward.to("listSagaDefinitions", Addresses.SAGA_DEFINITIONS),
      Forward.to("getSagaDefinition", Addresses.SAGA_DEFINITIONS),
      Forward.to("getOutboxStats", Addresses.OUTBOX_STATS),
      Forward.to("listDeadLetters", Addresses.OUTBOX_DEAD_LETTERS),
      Forward.to("replayDeadLetters", Addresses.OUTBOX_REPLAY),
      Forward.to("listPartitions", Addresses.PARTITIONS_LIST),
      Forward.toLeader("createPartitions", Addresses.PARTITIONS_CREATE),
      Forward.toLeader("dropPartitions", Addresses.PARTITIONS_DROP),
      Forward.toLeader("maintainPartitions", Addresses.MAINTENANCE_RUN));
}
