package io.sagaz.fleet.app.cli.saga;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.app.cli.api.ApiCommand;
import io.sagaz.fleet.app.cli.api.Arguments;
import io.sagaz.fleet.app.cli.api.TextTable;
import io.sagaz.fleet.core.saga.SagaStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sagaz saga list}: sagas, newest first, by status and name. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List sagas, newest first.")
final class SagaListCommand extends ApiCommand {
  /** As the API's SagaName. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  @Option(names = "--status", paramLabel = "STATUS", description = "Only this status: PENDING, EXECUTING, COMPLETED, COMPENSATING, ROLLED_BACK or FAILED.")
  String status;

  @Option(names = "--name", paramLabel = "SAGA", description = "Only sagas of this definition.")
  String name;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N (1-1000, default ${DEFAULT-VALUE}).")
  int limit;

  private final Map<String, String> query = new LinkedHashMap<>();

  @Override
  protected void validate() {
    Arguments.between("--limit", limit, 1, 1000);
    query.put("limit", String.valueOf(limit));
    SagaStatus s = Arguments.oneOf("--status", status, SagaStatus.class);
    if (s != null) {
      query.put("status", s.name());
    }
    if (name != null) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("--name '" + name + "' is not a saga name (letters, digits, '.', '_', '-'; at most 100)");
      }
      query.put("name", name);
    }
  }

  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    JsonObject reply = client.get("/sagas", query);
    if (printedAsJson(out, reply)) {
      return;
    }
    JsonArray sagas = reply.getJsonArray("sagas", new JsonArray());
    TextTable t = new TextTable("SAGA ID", "NAME", "STATUS", "OWNER", "UPDATED", "ERROR");
    sagas.stream().map(JsonObject.class::cast).forEach(s -> t.row(s.getString("sagaId"), s.getString("saga"),
        s.getString("status"), s.getString("ownerNode"), s.getString("updatedAt"), s.getString("error")));
    if (!t.isEmpty()) {
      t.print(out);
    }
    out.println(sagas.size() + " saga(s)" + (sagas.size() == limit ? " (the newest " + limit + "; --limit for more)" : ""));
    out.flush();
  }
}
