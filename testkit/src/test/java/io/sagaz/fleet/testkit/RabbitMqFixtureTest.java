package io.sagaz.fleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RabbitMqFixtureTest {

  @Test
  void theSharedBrokerRoutesAMessageThroughATopicExchange() throws Exception {
    assertRoundTrip(RabbitMqFixture.shared());
  }

  @Test
  void theEmbeddedBrokerSpeaksAmqp091() throws Exception {
    RabbitMqFixture embedded = RabbitMqFixture.embedded();
    assertThat(embedded.isRabbitMq()).isFalse();
    assertRoundTrip(embedded);
  }

  private static void assertRoundTrip(RabbitMqFixture broker) throws Exception {
    try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
      String exchange = "fixture-" + System.nanoTime();
      ch.exchangeDeclare(exchange, "topic", false, true, null);
      String queue = ch.queueDeclare("", false, true, true, null).getQueue();
      ch.queueBind(queue, exchange, "orders.#");
      ch.confirmSelect();
      ch.basicPublish(exchange, "orders.created", null, "hi".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(10_000);
      GetResponse got = null;
      for (int i = 0; i < 50 && got == null; i++) {
        got = ch.basicGet(queue, true);
        if (got == null) {
          Thread.sleep(100);
        }
      }
      assertThat(got).isNotNull();
      assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }
  }
}
