package io.sagaz.fleet.app.cli.outbox;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.app.cli.api.ApiCommand;
import io.sagaz.fleet.app.cli.api.TextTable;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code sagaz outbox stats}: rows per status, the oldest pending event's age and the dead letters. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Outbox rows per status, the age of the oldest pending event and the dead-letter count.")
final class OutboxStatsCommand extends ApiCommand {
  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    JsonObject reply = client.get("/outbox/stats", Map.of());
    if (printedAsJson(out, reply)) {
      return;
    }
    TextTable t = new TextTable("STATUS", "EVENTS");
    reply.getJsonObject("counts", new JsonObject()).forEach(e -> t.row(e.getKey(), e.getValue()));
    t.print(out);
    out.printf("oldest pending: %s s; dead letters: %s%n", reply.getValue("oldestPendingAgeSeconds"), reply.getValue("deadLetters"));
    out.flush();
  }
}
