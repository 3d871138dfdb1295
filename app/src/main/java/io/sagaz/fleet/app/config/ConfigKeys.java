package io.sagaz.fleet.app.config;

import io.sagaz.fleet.app.config.ConfigKey.Type;
import io.sagaz.fleet.core.config.Durations;
import io.sagaz.fleet.core.config.MaintenanceConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every key of {@code conf/sagaz.yaml} with its type and default (design.md section 6). A key that is
 * not listed here is refused when it appears in the YAML file. Its {@code SAGAZ_*} environment name is
 * derived by {@link ConfigKey#envName()}.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final List<ConfigKey> ALL = List.of(
      key("node.id", Type.STRING, null),
      key("node.roles", Type.LIST, "saga,outbox,maintenance,admin"),
      key("node.dataDir", Type.PATH, "data"),
      key("node.demo", Type.BOOL, "false"),

      key("cluster.config", Type.PATH, null),
      // Unset: the Hazelcast config file's <cluster-name> ("sagaz" in the bundled conf/cluster.xml).
      key("cluster.name", Type.STRING, null),
      key("cluster.host", Type.STRING, "127.0.0.1"),
      key("cluster.port", Type.INT, "0"),
      key("cluster.heartbeatTimeout", Type.DURATION, "5s"),

      key("db.url", Type.STRING, null),
      key("db.analyticsUrl", Type.STRING, null),
      key("db.poolSize", Type.INT, "8"),
      key("db.embeddedPort", Type.INT, "0"),
      key("db.pgbouncer", Type.BOOL, "false"),
      key("db.pgbouncerAdminUrl", Type.STRING, null),

      key("admin.host", Type.STRING, "127.0.0.1"),
      key("admin.port", Type.INT, "8080"),
      key("admin.token", Type.STRING, null),

      key("outbox.relay", Type.STRING, "eventbus"),
      key("outbox.ordering", Type.STRING, "none"),
      key("outbox.pollers", Type.INT, "1"),
      key("outbox.batchSize", Type.INT, "100"),
      key("outbox.maxInFlight", Type.INT, "256"),
      key("outbox.pollInterval", Type.DURATION, "500ms"),
      key("outbox.maxAttempts", Type.INT, "10"),
      key("outbox.backoffBase", Type.DURATION, "1s"),
      key("outbox.backoffMax", Type.DURATION, "5m"),
      key("outbox.claimTimeout", Type.DURATION, "60s"),
      key("outbox.shards", Type.INT, "16"),
      key("outbox.maxPayloadBytes", Type.INT, "1048576"),
      key("outbox.lookbackDays", Type.INT, "7"),

      key("kafka.bootstrapServers", Type.STRING, "localhost:9092"),
      key("kafka.producer", Type.MAP, null),

      key("rabbitmq.uri", Type.STRING, "amqp://guest:guest@localhost:5672"),
      key("rabbitmq.exchange", Type.STRING, "sagaz.outbox"),
      key("rabbitmq.confirmWindow", Type.INT, "256"),

      key("saga.definitionsDir", Type.PATH, "conf/sagas"),
      key("saga.leaseTimeout", Type.DURATION, "30s"),
      key("saga.recoveryInterval", Type.DURATION, "10s"),

      key("maintenance.interval", Type.DURATION, "1h"),
      key("maintenance.leaseTimeout", Type.DURATION, "10s"),
      key("maintenance.lockTimeout", Type.DURATION, "100ms"),
      key("maintenance.monthsAhead", Type.INT, "3"),
      key("maintenance.daysAhead", Type.INT, "7"),
      key("maintenance.executionsRetentionMonths", Type.INT, "12"),
      key("maintenance.outboxRetentionDays", Type.INT, "30"),
      key("maintenance.inboxRetentionDays", Type.INT, "90"),
      key("maintenance.stepPause", Type.DURATION, Durations.format(MaintenanceConfig.DEFAULT_STEP_PAUSE)),
      key("maintenance.analyzeCostDelay", Type.DURATION, Durations.format(MaintenanceConfig.DEFAULT_ANALYZE_COST_DELAY)),
      key("maintenance.analyzeCostLimit", Type.INT, String.valueOf(MaintenanceConfig.DEFAULT_ANALYZE_COST_LIMIT)),
      key("maintenance.analyzeStatisticsTarget", Type.INT, String.valueOf(MaintenanceConfig.DEFAULT_ANALYZE_STATISTICS_TARGET)));

  /**
   * Key path -> the environment name the seed's deployment plan gives it (seeds/000, "Environment
   * variables"), where that differs from the derived one. Accepted too: a node set up the seed's way
   * would otherwise warn about an unknown variable and run on the embedded database. The derived name
   * wins when both are set to the same value; different values are refused.
   */
  public static final Map<String, String> SEED_ENV_NAMES = Map.of(
      "db.url", "SAGAZ_STORAGE_URL",
      "db.analyticsUrl", "SAGAZ_ANALYTICS_URL");

  private static final Map<String, ConfigKey> BY_PATH = new LinkedHashMap<>();

  static {
    ALL.forEach(k -> BY_PATH.put(k.path(), k));
  }

  private static ConfigKey key(String path, Type type, String defaultValue) {
    return new ConfigKey(path, type, defaultValue);
  }

  public static Optional<ConfigKey> find(String path) {
    return Optional.ofNullable(BY_PATH.get(path));
  }

  /** True when some key lives under {@code prefix} (a section such as {@code db}). */
  static boolean isSection(String prefix) {
    return ALL.stream().anyMatch(k -> k.path().startsWith(prefix + "."));
  }

  /** The key names under a section, for "did you mean" hints. */
  static List<String> keysUnder(String prefix) {
    return ALL.stream()
        .map(ConfigKey::path)
        .filter(p -> p.startsWith(prefix + "."))
        .map(p -> p.substring(prefix.length() + 1))
        .toList();
  }
}
