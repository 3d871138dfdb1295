package io.sagaz.fleet.core.config;

import java.util.Map;

/**
 * Kafka relay settings.
 *
 * @param bootstrapServers {@code host:port[,host:port]}
 * @param producer         extra producer properties, passed through as they are
 */
public record KafkaConfig(String bootstrapServers, Map<String, String> producer) {
  public KafkaConfig {
    Check.notBlank("kafka.bootstrapServers", bootstrapServers);
    producer = producer == null ? Map.of() : Map.copyOf(producer);
  }
}
