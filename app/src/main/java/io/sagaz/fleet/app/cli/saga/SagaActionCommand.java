package io.sagaz.fleet.app.cli.saga;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.app.cli.api.ApiCommand;
import io.sagaz.fleet.app.cli.api.Arguments;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import picocli.CommandLine.Parameters;

/** An operator action on one saga: a POST to {@code /sagas/{id}/<action>}, answered with its status after. */
abstract class SagaActionCommand extends ApiCommand {
  @Parameters(paramLabel = "SAGA_ID", description = "The saga's id.")
  String id;

  private String sagaId;

  /** The path segment after the saga id. */
  abstract String action();

  @Override
  protected void validate() {
    sagaId = Arguments.uuid("SAGA_ID", id, "a saga id");
  }

  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    JsonObject reply = client.post("/sagas/" + sagaId + "/" + action(), new JsonObject());
    if (printedAsJson(out, reply)) {
      return;
    }
    out.println("saga " + reply.getString("sagaId") + " is " + reply.getString("status"));
    out.flush();
  }
}
