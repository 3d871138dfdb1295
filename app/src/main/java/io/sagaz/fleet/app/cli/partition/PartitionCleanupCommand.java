package io.sagaz.fleet.app.cli.partition;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.core.partition.PartitionAge;
import io.sagaz.fleet.core.partition.PartitionedTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sagaz partition cleanup --older-than 12m}: drops partitions whose whole range is older than the
 * age (12m = 12 months, 30d = 30 days), in one table or in all of them. Outbox partitions that still
 * hold unsent events are kept and reported.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
    description = "Drop partitions entirely older than an age (e.g. 12m, 30d); unsent outbox events are never dropped.")
final class PartitionCleanupCommand extends PartitionApiCommand {
  @Option(names = "--older-than", required = true, paramLabel = "AGE",
      description = "A number and a unit: d (days), w (weeks), m (months), y (years), e.g. 12m or 30d.")
  String olderThan;

  @Option(names = "--table", paramLabel = "TABLE", description = "Only this table (default: every partitioned table).")
  String table;

  private List<PartitionedTable> tables;
  private LocalDate before;

  @Override
  protected void validate() {
    PartitionAge age = PartitionAge.parse(olderThan);
    tables = table == null ? Arrays.asList(PartitionedTable.values()) : List.of(PartitionedTable.of(table));
    before = age.before(LocalDate.now(ZoneOffset.UTC));
  }

  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    JsonArray actions = new JsonArray();
    JsonObject last = new JsonObject();
    for (PartitionedTable t : tables) {
      last = client.delete("/partitions", Map.of("table", t.tableName(), "olderThan", before.toString()));
      last.getJsonArray("actions", new JsonArray()).forEach(actions::add);
    }
    printActions(out, last.copy().put("actions", actions).put("olderThan", before.toString()));
  }
}
