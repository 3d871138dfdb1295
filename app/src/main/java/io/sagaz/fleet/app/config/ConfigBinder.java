package io.sagaz.fleet.app.config;

import io.sagaz.fleet.core.config.AdminConfig;
import io.sagaz.fleet.core.config.ClusterConfig;
import io.sagaz.fleet.core.config.ConfigException;
import io.sagaz.fleet.core.config.DbConfig;
import io.sagaz.fleet.core.config.KafkaConfig;
import io.sagaz.fleet.core.config.MaintenanceConfig;
import io.sagaz.fleet.core.config.NodeConfig;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.config.RabbitMqConfig;
import io.sagaz.fleet.core.config.Role;
import io.sagaz.fleet.core.config.SagaConfig;
import io.sagaz.fleet.core.config.SagazConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Turns the layered text values into the typed records of {@code core}, which validate themselves. */
final class ConfigBinder {
  private ConfigBinder() {}

  static SagazConfig bind(RawConfig raw) {
    try {
      return new SagazConfig(
          node(raw), cluster(raw), db(raw), admin(raw), outbox(raw), kafka(raw), rabbitmq(raw), saga(raw), maintenance(raw));
    } catch (ConfigException e) {
      // Say where the bad value came from, so an operator knows whether to fix the file or the env.
      String problem = e.getMessage().substring(e.key().length() + 2);
      throw raw.source(e.key())
          .map(src -> new ConfigException(e.key(), problem + " (set by " + src + ")"))
          .orElse(e);
    }
  }

  private static NodeConfig node(RawConfig raw) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    raw.list("node.roles").forEach(r -> roles.add(Role.parse("node.roles", r)));
    return new NodeConfig(
        raw.string("node.id").orElseGet(ConfigBinder::generatedNodeId),
        roles,
        raw.path("node.dataDir").orElse(null),
        raw.bool("node.demo"));
  }

  private static ClusterConfig cluster(RawConfig raw) {
    Path file = raw.path("cluster.config").orElse(null);
    if (file != null && !Files.isReadable(file)) {
      throw new ConfigException("cluster.config", "cannot read Hazelcast config file '" + file + "'");
    }
    if (file != null && Files.isDirectory(file)) {
      throw new ConfigException("cluster.config", "'" + file + "' is a directory, expected a Hazelcast XML or YAML file");
    }
    return new ClusterConfig(file, raw.string("cluster.name").orElse(null), raw.required("cluster.host"),
        raw.integer("cluster.port"), raw.duration("cluster.heartbeatTimeout"));
  }

  private static DbConfig db(RawConfig raw) {
    return new DbConfig(raw.string("db.url"), raw.string("db.analyticsUrl"),
        raw.integer("db.poolSize"), raw.integer("db.embeddedPort"),
        raw.bool("db.pgbouncer"), raw.string("db.pgbouncerAdminUrl"));
  }

  private static AdminConfig admin(RawConfig raw) {
    return new AdminConfig(raw.required("admin.host"), raw.integer("admin.port"), raw.string("admin.token"));
  }

  private static OutboxConfig outbox(RawConfig raw) {
    return new OutboxConfig(
        OutboxConfig.Relay.parse("outbox.relay", raw.required("outbox.relay")),
        OutboxConfig.Ordering.parse("outbox.ordering", raw.required("outbox.ordering")),
        raw.integer("outbox.pollers"),
        raw.integer("outbox.batchSize"),
        raw.integer("outbox.maxInFlight"),
        raw.duration("outbox.pollInterval"),
        raw.integer("outbox.maxAttempts"),
        raw.duration("outbox.backoffBase"),
        raw.duration("outbox.backoffMax"),
        raw.duration("outbox.claimTimeout"),
        raw.integer("outbox.shards"),
        raw.integer("outbox.maxPayloadBytes"),
        raw.integer("outbox.lookbackDays"));
  }

  private static KafkaConfig kafka(RawConfig raw) {
    return new KafkaConfig(raw.required("kafka.bootstrapServers"), raw.map("kafka.producer"));
  }

  private static RabbitMqConfig rabbitmq(RawConfig raw) {
    return new RabbitMqConfig(raw.required("rabbitmq.uri"), raw.required("rabbitmq.exchange"),
        raw.integer("rabbitmq.confirmWindow"));
  }

  private static SagaConfig saga(RawConfig raw) {
    return new SagaConfig(raw.path("saga.definitionsDir").orElse(null),
        raw.duration("saga.leaseTimeout"), raw.duration("saga.recoveryInterval"));
  }

  private static MaintenanceConfig maintenance(RawConfig raw) {
    return new MaintenanceConfig(
        raw.duration("maintenance.interval"),
        raw.duration("maintenance.leaseTimeout"),
        raw.duration("maintenance.lockTimeout"),
        raw.integer("maintenance.monthsAhead"),
        raw.integer("maintenance.daysAhead"),
        raw.integer("maintenance.executionsRetentionMonths"),
        raw.integer("maintenance.outboxRetentionDays"),
        raw.integer("maintenance.inboxRetentionDays"),
        raw.duration("maintenance.stepPause"),
        raw.duration("maintenance.analyzeCostDelay"),
        raw.integer("maintenance.analyzeCostLimit"),
        raw.integer("maintenance.analyzeStatisticsTarget"));
  }

  /** Without {@code node.id}: the host name plus a random suffix, so two nodes on one host differ. */
  private static String generatedNodeId() {
    // Not InetAddress.getLocalHost(): it can wait seconds on DNS where the host name does not resolve.
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = Files.readString(Path.of("/etc/hostname")).trim();
      } catch (Exception e) {
        host = "";
      }
    }
    if (host.isBlank()) {
      host = "node";
    }
    byte[] suffix = new byte[3];
    ThreadLocalRandom.current().nextBytes(suffix);
    return host + "-" + HexFormat.of().formatHex(suffix);
  }
}
