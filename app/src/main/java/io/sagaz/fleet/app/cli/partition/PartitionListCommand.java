package io.sagaz.fleet.app.cli.partition;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.app.cli.api.TextTable;
import io.sagaz.fleet.core.partition.PartitionedTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sagaz partition list}: the partitions, their ranges, sizes and DEFAULT partition rows. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List partitions with their ranges, estimated rows and sizes, and rows left in DEFAULT partitions.")
final class PartitionListCommand extends PartitionApiCommand {
  @Option(names = "--table", paramLabel = "TABLE", description = "Only this table.")
  String table;

  private String only;

  @Override
  protected void validate() {
    only = table == null ? null : PartitionedTable.of(table).tableName();
  }

  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    JsonObject reply = client.get("/partitions", Map.of());
    JsonArray partitions = new JsonArray(reply.getJsonArray("partitions", new JsonArray()).stream()
        .map(JsonObject.class::cast).filter(p -> only == null || only.equals(p.getString("table"))).toList());
    if (api.json()) {
      out.println(reply.copy().put("partitions", partitions).encodePrettily());
      out.flush();
      return;
    }
    TextTable t = new TextTable("TABLE", "PARTITION", "FROM", "TO", "ROWS", "SIZE");
    for (Object o : partitions) {
      JsonObject p = (JsonObject) o;
      boolean isDefault = p.getBoolean("isDefault", false);
      t.row(p.getString("table"), p.getString("partition"), isDefault ? "DEFAULT" : p.getString("from"),
          isDefault ? "" : p.getString("to"), isDefault ? p.getLong("rowCount") : "~" + p.getLong("estimatedRows"),
          bytes(p.getLong("totalBytes")));
    }
    t.print(out);
    out.println(partitions.size() + " partition(s)");
    out.flush();
  }

  static String bytes(Long n) {
    if (n == null) {
      return "-";
    }
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
