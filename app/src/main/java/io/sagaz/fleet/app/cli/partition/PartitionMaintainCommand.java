package io.sagaz.fleet.app.cli.partition;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code sagaz partition maintain}: runs partition maintenance now, on the maintenance leader. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = "Run partition maintenance now on the maintenance leader and print what it did.")
final class PartitionMaintainCommand extends PartitionApiCommand {
  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    printActions(out, client.post("/partitions/maintain", new JsonObject()));
  }
}
