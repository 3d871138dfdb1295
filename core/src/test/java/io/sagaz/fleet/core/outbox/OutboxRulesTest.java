package io.sagaz.fleet.core.outbox;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutboxRulesTest {

  @Test
  void aWellFormedEventPasses() {
    assertThatCode(() -> OutboxRules.check("", "orders.created", "OrderCreated", "order", "42", "{\"a\":1}", 100))
        .doesNotThrowAnyException();
  }

  @Test
  void eachBadFieldIsNamed() {
    assertThatThrownBy(() -> OutboxRules.check("", "", "T", "order", "1", "{}", 100))
        .isInstanceOf(OutboxValidationException.class).hasMessageStartingWith("topic: must not be empty");
    assertThatThrownBy(() -> OutboxRules.check("events[2].", "a b", "T", "order", "1", "{}", 100))
        .hasMessageStartingWith("events[2].topic: 'a b' may only contain");
    assertThatThrownBy(() -> OutboxRules.check("", "t", " ", "order", "1", "{}", 100))
        .hasMessageStartingWith("eventType: must not be empty");
    assertThatThrownBy(() -> OutboxRules.check("", "t", "T", null, "1", "{}", 100))
        .hasMessageStartingWith("aggregateType: must not be empty");
    assertThatThrownBy(() -> OutboxRules.check("", "t", "T", "order", "", "{}", 100))
        .hasMessageStartingWith("aggregateId: must not be empty");
    assertThatThrownBy(() -> OutboxRules.check("", "t", "T", "order", "1", null, 100))
        .hasMessageStartingWith("payload: must be a JSON object");
  }

  @Test
  void anOversizedPayloadNamesTheLimitAndItsKey() {
    assertThatThrownBy(() -> OutboxRules.check("", "t", "T", "order", "1", "{\"x\":\"ééé\"}", 10))
        .hasMessage("payload: is 14 bytes, the limit (outbox.maxPayloadBytes) is 10");
  }
}
