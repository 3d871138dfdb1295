package io.sagaz.fleet.saga.demo;

import io.sagaz.fleet.client.saga.SagaClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a demo order every two seconds so a fresh demo node shows sagas running, failing and compensating. */
public final class DemoTraffic extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);
  private long timer = -1;

  @Override
  public Future<?> start() {
    SagaClient client = new SagaClient(vertx.eventBus());
    timer = vertx.setPeriodic(2000, id -> {
      String orderId = UUID.randomUUID().toString();
      JsonObject input = new JsonObject().put("orderId", orderId)
          .put("amount", ThreadLocalRandom.current().nextInt(5, 500)).put("items", ThreadLocalRandom.current().nextInt(1, 5));
      client.start(OrderSaga.NAME, input, orderId).onFailure(e -> log.debug("demo order not started: {}", e.getMessage()));
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
