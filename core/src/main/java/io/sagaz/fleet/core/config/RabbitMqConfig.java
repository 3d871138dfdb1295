package io.sagaz.fleet.core.config;

import java.net.URI;

/**
 * RabbitMQ relay settings.
 *
 * @param uri           {@code amqp://user:pass@host:port/vhost}
 * @param exchange      topic exchange the relay publishes to (routing key = event topic)
 * @param confirmWindow unconfirmed publishes allowed at once
 */
public record RabbitMqConfig(String uri, String exchange, int confirmWindow) {
  public RabbitMqConfig {
    Check.notBlank("rabbitmq.uri", uri);
    try {
      String scheme = new URI(uri).getScheme();
      if (!"amqp".equals(scheme) && !"amqps".equals(scheme)) {
        throw new ConfigException("rabbitmq.uri", "expected an amqp:// URI, was '" + DbConfig.redact(uri) + "'");
      }
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException("rabbitmq.uri", "malformed URI: " + e.getMessage());
    }
    Check.notBlank("rabbitmq.exchange", exchange);
    Check.positive("rabbitmq.confirmWindow", confirmWindow);
  }
}
