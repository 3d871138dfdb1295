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
  }
}
