package io.sagaz.fleet.app.cli.partition;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.core.partition.DateRange;
import io.sagaz.fleet.core.partition.PartitionedTable;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sagaz partition create --table saga_executions --range 2025-01-01:2025-12-31}. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Create the partitions of a table covering a date range (both ends included); runs on the maintenance leader.")
final class PartitionCreateCommand extends PartitionApiCommand {
  @Option(names = "--table", required = true, paramLabel = "TABLE",
      description = "saga_executions, saga_audit_log or saga_outbox.")
  String table;

  @Option(names = "--range", required = true, paramLabel = "FROM:TO", description = "e.g. 2025-01-01:2025-12-31.")
  String range;

  private PartitionedTable parsedTable;
  private DateRange parsedRange;

  @Override
  protected void validate() {
    parsedTable = PartitionedTable.of(table);
    parsedRange = DateRange.parse(range);
    parsedTable.partitionStarts(parsedRange); // refuses ranges with too many partitions
  }

  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    JsonObject body = new JsonObject()
        .put("table", parsedTable.tableName())
        .put("from", parsedRange.from().toString())
        .put("to", parsedRange.to().toString());
    printActions(out, client.post("/partitions", body));
  }
}
