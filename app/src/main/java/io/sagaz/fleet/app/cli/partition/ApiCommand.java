package io.sagaz.fleet.app.cli.partition;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.app.cli.api.AdminApiOptions;
import io.sagaz.fleet.app.cli.api.TextTable;
import io.sagaz.fleet.core.partition.InvalidPartitionInputException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * A partition command that talks to the admin API: it validates every argument first (a usage error,
 * exit 2, before any request), then calls the API and prints a table or the JSON. API and connection
 * failures print what went wrong and exit 1.
 */
abstract class ApiCommand implements Callable<Integer> {
  static final int EXIT_API_FAILED = 1;

  @Mixin
  AdminApiOptions api;

  @Spec
  CommandLine.Model.CommandSpec spec;

  /** Checks and parses the arguments; throws {@link InvalidPartitionInputException} naming what was wrong. */
  abstract void validate();

  /** Does the requests and prints; only called once {@link #validate()} passed. */
  abstract void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure;

  @Override
  public final Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      validate();
    } catch (InvalidPartitionInputException e) {
      throw new CommandLine.ParameterException(cmd, e.getMessage(), e);
    }
    AdminApi client = new AdminApi(api.baseUri(cmd), api.token());
    try {
      execute(client, cmd.getOut());
      return 0;
    } catch (AdminApi.Failure e) {
      cmd.getErr().println("sagaz partition " + cmd.getCommandName() + ": " + e.getMessage());
      cmd.getErr().flush();
      return EXIT_API_FAILED;
    }
  }

  /** Prints a reply of actions ({@code {actions: [...]}}) as a table, or its JSON. */
  void printActions(PrintWriter out, JsonObject reply) {
    if (api.json()) {
      out.println(reply.encodePrettily());
      out.flush();
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
