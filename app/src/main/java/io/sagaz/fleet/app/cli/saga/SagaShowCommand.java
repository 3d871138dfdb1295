package io.sagaz.fleet.app.cli.saga;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.app.cli.api.ApiCommand;
import io.sagaz.fleet.app.cli.api.Arguments;
import io.sagaz.fleet.app.cli.api.TextTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sagaz saga show ID}: one saga's status, steps and audit history. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a saga's status, steps and history.")
final class SagaShowCommand extends ApiCommand {
  @Parameters(paramLabel = "SAGA_ID", description = "The saga's id.")
  String id;

  private String sagaId;

  @Override
  protected void validate() {
    sagaId = Arguments.uuid("SAGA_ID", id, "a saga id");
  }

  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    JsonObject saga = client.get("/sagas/" + sagaId, Map.of());
    if (printedAsJson(out, saga)) {
      return;
    }
    out.printf("%s %s: %s%s%n", saga.getString("saga"), saga.getString("sagaId"), saga.getString("status"),
        saga.getString("error") == null ? "" : " (" + saga.getString("error") + ")");
    out.printf("owner %s, created %s, updated %s%n%n", saga.getString("ownerNode", "-"), saga.getString("createdAt"), saga.getString("updatedAt"));
    TextTable steps = new TextTable("STEP", "STATUS", "ATTEMPT", "FINISHED");
    saga.getJsonObject("steps", new JsonObject()).forEach(e -> {
      JsonObject s = e.getValue() instanceof JsonObject o ? o : new JsonObject().put("status", String.valueOf(e.getValue()));
      steps.row(e.getKey(), s.getString("status"), s.getValue("attempt"), s.getString("finishedAt"));
    });
    steps.print(out);
    out.println();
    TextTable history = new TextTable("AT", "STEP", "EVENT", "FROM", "TO", "NODE");
    saga.getJsonArray("history", new JsonArray()).stream().map(JsonObject.class::cast).forEach(h -> history.row(
        h.getString("at"), h.getString("step"), h.getString("event"), h.getString("from"), h.getString("to"), h.getString("node")));
    history.print(out);
    out.flush();
  }
}
