package io.sagaz.fleet.client.saga;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Serves one step command inside the participant's database transaction. Write the step's effect
 * through {@code tx}: it commits together with the inbox row that marks {@code commandId} as done,
 * so a re-sent command finds the row and gets the stored reply instead of repeating the effect.
 * Fail with {@link StepFailure} to answer with a code; any other failure answers 500 (retried).
 */
@FunctionalInterface
public interface StepHandler {
  Future<JsonObject> handle(StepCommand command, SqlConnection tx);
}
