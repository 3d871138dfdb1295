package io.sagaz.fleet.core.config;

/**
 * Everything a node is configured with, read once at start (design.md section 6) by the app's
 * loader from {@code conf/sagaz.yaml} plus {@code SAGAZ_*} environment overrides. Each part validates
 * itself on construction, so a node never starts on a bad value.
 */
public record SagazConfig(
    NodeConfig node,
    ClusterConfig cluster,
    DbConfig db,
    AdminConfig admin,
    OutboxConfig outbox,
    KafkaConfig kafka,
    RabbitMqConfig rabbitmq,
    SagaConfig saga,
    MaintenanceConfig maintenance) {
  public SagazConfig {
    if (node == null || cluster == null || db == null || admin == null || outbox == null
        || kafka == null || rabbitmq == null || saga == null || maintenance == null) {
      throw new IllegalArgumentException("every configuration section must be present");
    }
    // Each unordered poller holds a pooled connection for its whole round (its claim is a row lock
    // kept by an open transaction); at least one must stay for the rest of the node.
    if (node.has(Role.OUTBOX) && outbox.pollers() >= db.poolSize()) {
      throw new ConfigException("outbox.pollers", "must be less than db.poolSize (" + db.poolSize() + "), was "
          + outbox.pollers() + ": each poller holds a connection while it publishes");
    }
  }
}
