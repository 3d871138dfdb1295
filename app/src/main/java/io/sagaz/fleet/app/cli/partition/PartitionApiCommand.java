package io.sagaz.fleet.app.cli.partition;

import io.sagaz.fleet.app.cli.api.ApiCommand;
import io.sagaz.fleet.app.cli.api.TextTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;

/** A partition command: its replies are lists of maintenance actions. */
abstract class PartitionApiCommand extends ApiCommand {
  /** Prints a reply of actions ({@code {actions: [...]}}) as a table, or its JSON. */
  void printActions(PrintWriter out, JsonObject reply) {
    if (printedAsJson(out, reply)) {
      return;
    }
    JsonArray actions = reply.getJsonArray("actions", new JsonArray());
    TextTable table = new TextTable("ACTION", "TABLE", "PARTITION", "DETAIL");
    actions.stream().map(JsonObject.class::cast)
        .forEach(a -> table.row(a.getString("action"), a.getString("table"), a.getString("partition"), a.getString("detail")));
    if (!table.isEmpty()) {
      table.print(out);
    }
    out.println(actions.size() + " action(s)" + (reply.containsKey("epoch")
        ? " by " + reply.getString("holder") + " (epoch " + reply.getLong("epoch") + ", run " + reply.getLong("runId")
            + ", " + reply.getLong("durationMs") + " ms)"
        : ""));
    out.flush();
  }
}
