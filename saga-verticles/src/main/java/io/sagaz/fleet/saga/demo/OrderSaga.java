package io.sagaz.fleet.saga.demo;

import io.sagaz.fleet.core.saga.RetryPolicy;
import io.sagaz.fleet.core.saga.SagaDefinition;
import java.time.Duration;

/** The demo order saga in the Java DSL; {@code conf/sagas/order.yaml} is the same definition in YAML. */
public final class OrderSaga {
  public static final String NAME = "order";

  /**
   * Five tries, 200 ms doubling to at most 2 s: about 4 s of retrying, longer than the cluster takes to
   * notice a dead member, so a step whose participant died with its node moves to another node's
   * participant instead of failing the order.
   */
  static final RetryPolicy RETRY = new RetryPolicy(5, Duration.ofMillis(200), 2.0, Duration.ofSeconds(2));

  private OrderSaga() {}

  public static SagaDefinition definition() {
    return SagaDefinition.builder(NAME).version(1).deadline(Duration.ofSeconds(60))
        .step("reserve-inventory", s -> s.action("demo.inventory.reserve").compensation("demo.inventory.release")
            .timeout(Duration.ofSeconds(2)).retry(RETRY))
        .step("charge-payment", s -> s.action("demo.payment.charge").compensation("demo.payment.refund")
            .dependsOn("reserve-inventory").timeout(Duration.ofSeconds(2)).retry(RETRY))
        .step("ship-order", s -> s.action("demo.shipping.ship").compensation("demo.shipping.cancel")
            .dependsOn("charge-payment").timeout(Duration.ofSeconds(2)).retry(RETRY))
        .build();
  }
}
