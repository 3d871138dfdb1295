package io.sagaz.fleet.app.cli;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.app.cli.api.AdminApiOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sagaz status [--pool] [--replication] [--json]}: asks a node's admin API whether it is ready
 * and who is in the cluster; {@code --pool} adds pool saturation (this node's pool and PgBouncer's
 * pools when the node has {@code db.pgbouncerAdminUrl}), {@code --replication} the standbys of the
 * database. Exit codes: 0 ready and every answer received, 1 not ready or the API failed, 2 bad usage.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a node's readiness and the cluster members; with --pool pool saturation (the node's "
        + "pool and PgBouncer's SHOW POOLS), with --replication the standbys and their lag (admin API).")
public final class StatusCommand implements Callable<Integer> {
  @Mixin
  AdminApiOptions api;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
      description = "Without --token: read the token a local node generated in <DIR>/admin-token (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--pool", description = "Also show pool saturation (GET /api/v1/pool).")
  boolean pool;

  @Option(names = "--replication", description = "Also show replication and lag (GET /api/v1/replication).")
  boolean replication;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    PrintWriter out = cmd.getOut();
    AdminApi client = new AdminApi(api.baseUri(cmd), api.token() != null && !api.token().isBlank() ? api.token() : storedToken());
    try {
      AdminApi.Reply ready = client.probe("/health/ready");
      JsonObject report = new JsonObject()
          .put("node", api.baseUri(cmd).toString())
          .put("ready", ready.status() == 200)
          .put("readiness", ready.body())
          .put("cluster", client.get("/cluster", Map.of()));
      if (pool) {
        report.put("pool", client.get("/pool", Map.of()));
      }
      if (replication) {
        report.put("replication", client.get("/replication", Map.of()));
      }
      if (api.json()) {
        out.println(report.encodePrettily());
      } else {
        StatusReport.print(report, out);
      }
      out.flush();
      return ready.status() == 200 ? 0 : 1;
    } catch (AdminApi.Failure e) {
      cmd.getErr().println("sagaz status: " + e.getMessage());
      cmd.getErr().flush();
      return 1;
    }
  }

  private String storedToken() {
    try {
      Path f = dataDir.resolve("admin-token");
      return Files.isReadable(f) ? Files.readString(f).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
