package io.sagaz.fleet.app.cli;

import io.sagaz.fleet.app.cli.api.TextTable;
import io.sagaz.fleet.app.node.NodeRuntime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints what {@code sagaz status} gathered as aligned tables, for people ({@code --json} is for machines). */
final class StatusReport {
  private StatusReport() {}

  static void print(JsonObject report, PrintWriter out) {
    out.println("node " + report.getString("node") + ": " + (report.getBoolean("ready") ? "ready" : "NOT ready"));
    if (!report.getBoolean("ready")) {
      out.println("  " + report.getJsonObject("readiness").encode());
    }
    cluster(report.getJsonObject("cluster"), out);
    if (report.containsKey("pool")) {
      pool(report.getJsonObject("pool"), out);
    }
    if (report.containsKey("replication")) {
      replication(report.getJsonObject("replication"), out);
    }
  }

  private static void cluster(JsonObject cluster, PrintWriter out) {
    JsonArray members = cluster.getJsonArray("members", new JsonArray());
    out.println();
    out.println("cluster: " + members.size() + " member(s)");
    TextTable t = new TextTable("NODE", "ROLES", "ADMIN URL");
    objects(members).forEach(m -> t.row(m.getString("nodeId"), join(m.getJsonArray("roles")), m.getString("adminUrl")));
    t.print(out);
    JsonObject leader = cluster.getJsonObject("maintenanceLeader");
    if (leader != null) {
      out.println("maintenance leader: " + leader.getString("leader", "none") + " (epoch " + leader.getValue("epoch") + ")");
    }
  }

  private static void pool(JsonObject pool, PrintWriter out) {
    out.println();
    JsonObject sessions = pool.getJsonObject("sessions", new JsonObject());
    out.println("node pool (size " + pool.getInteger("configuredSize") + "; server sessions " + sessions.getInteger("total")
        + byState(sessions.getJsonObject("byState", new JsonObject())) + ")");
    TextTable t = new TextTable("POOL", "SIZE", "IN USE", "WAITING", "USED", "ACQUIRED");
    for (JsonObject p : objects(pool.getJsonArray("pools", new JsonArray()))) {
      // configuredSize is the node's pool (db.poolSize); other pools (the PgBouncer console's) have their own
      boolean nodePool = NodeRuntime.POOL_NAME.equals(p.getString("name"));
      Long inUse = p.getLong("inUse");
      int size = pool.getInteger("configuredSize");
      t.row(p.getString("name"), nodePool ? size : null, inUse, p.getLong("waiting"),
          nodePool && inUse != null ? String.format(Locale.ROOT, "%.0f%%", 100.0 * inUse / size) : null, p.getLong("acquired"));
    }
    if (t.isEmpty()) {
      out.println("(the node's pool metrics are not enabled)");
    } else {
      t.print(out);
    }

    // Nodes before several consoles could be given answer only "pgbouncer".
    JsonArray bouncers = pool.getJsonArray("pgbouncers",
        new JsonArray().add(pool.getJsonObject("pgbouncer", new JsonObject())));
    objects(bouncers).forEach(b -> pgbouncer(b, out));
  }

  private static void pgbouncer(JsonObject bouncer, PrintWriter out) {
    out.println();
    if (!bouncer.getBoolean("configured", false)) {
      out.println("pgbouncer: not configured (" + bouncer.getString("reason", "") + ")");
    } else if (bouncer.containsKey("error")) {
      out.println("pgbouncer " + bouncer.getString("name") + ": " + bouncer.getString("error"));
    } else {
      out.println("pgbouncer " + bouncer.getString("name") + " (SHOW POOLS)");
      TextTable b = new TextTable("DATABASE", "USER", "CL_ACTIVE", "CL_WAITING", "SV_ACTIVE", "SV_IDLE", "SV_USED", "MAXWAIT", "MODE");
      objects(bouncer.getJsonArray("pools", new JsonArray())).forEach(p -> b.row(p.getValue("database"), p.getValue("user"),
          p.getValue("cl_active"), p.getValue("cl_waiting"), p.getValue("sv_active"), p.getValue("sv_idle"),
          p.getValue("sv_used"), p.getValue("maxwait"), p.getValue("pool_mode")));
      b.print(out);
    }
  }

  private static void replication(JsonObject replication, PrintWriter out) {
    out.println();
    JsonArray replicas = replication.getJsonArray("replicas", new JsonArray());
    out.println("replication: this database is a " + (replication.getBoolean("primary", false) ? "primary" : "standby")
        + ", " + replicas.size() + " standby(s) streaming from it");
    TextTable t = new TextTable("REPLICA", "CLIENT", "STATE", "SYNC", "REPLAY LAG", "LAG BYTES");
    for (JsonObject r : objects(replicas)) {
      Double lag = r.getDouble("replayLagSeconds");
      t.row(r.getString("applicationName"), r.getString("clientAddr"), r.getString("state"), r.getString("syncState"),
          lag == null ? "0 s" : String.format(Locale.ROOT, "%.3f s", lag), r.getLong("replayLagBytes"));
    }
    if (!t.isEmpty()) {
      t.print(out);
    }
  }

  private static String byState(JsonObject byState) {
    return byState.isEmpty() ? "" : ": " + byState.fieldNames().stream().sorted()
        .map(s -> s + " " + byState.getValue(s)).collect(Collectors.joining(", "));
  }

  private static java.util.List<JsonObject> objects(JsonArray array) {
    return array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
  }

  private static String join(JsonArray roles) {
    return roles == null ? "" : roles.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
