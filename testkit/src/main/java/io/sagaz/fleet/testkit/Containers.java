package io.sagaz.fleet.testkit;

import org.testcontainers.DockerClientFactory;

/** Testcontainers, used only when a Docker engine answers (never on machines without one). */
final class Containers {
  private static Boolean docker;

  private Containers() {}

  static synchronized boolean dockerAvailable() {
    if (docker == null) {
      try {
        docker = DockerClientFactory.instance().isDockerAvailable();
      } catch (Throwable t) {
        docker = false;
      }
    }
    return docker;
  }

  @SuppressWarnings("resource") // lives as long as the JVM; Ryuk removes it
  static PostgresFixture postgres() {
    var c = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:17-alpine");
    c.start();
    return PostgresFixture.forContainer(c.getHost(), c.getMappedPort(5432), c.getUsername(), c.getPassword(), c.getDatabaseName());
  }

  @SuppressWarnings("resource") // lives as long as the JVM; Ryuk removes it
  static String rabbitMqUri() {
    var c = new org.testcontainers.rabbitmq.RabbitMQContainer("rabbitmq:3.13-management-alpine");
    c.start();
    return c.getAmqpUrl().replace("amqp://", "amqp://" + c.getAdminUsername() + ":" + c.getAdminPassword() + "@");
  }
}
