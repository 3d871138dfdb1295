package io.sagaz.fleet.saga;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagaz.fleet.client.node.FleetModule;
import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.saga.demo.DemoLifecycleListener;
import io.sagaz.fleet.saga.demo.DemoParticipants;
import io.sagaz.fleet.saga.demo.DemoTraffic;
import io.sagaz.fleet.saga.demo.OrderSaga;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Deploys the saga orchestrator (its event-bus API, recovery and leases) with the definitions of
 * {@code saga.definitionsDir}, plus any given in code. With {@code node.demo} it also deploys the
 * demo order saga, its participants, a consumer of its lifecycle events and a trickle of demo orders,
 * some of which fail and compensate.
 * A definition that does not validate fails the deployment with the saga and step named.
 */
public final class SagaModule implements FleetModule {
  private final List<SagaDefinition> extra;

  public SagaModule() {
    this(List.of());
  }

  /** With definitions built in code (Java DSL) in addition to the YAML files. */
  public SagaModule(List<SagaDefinition> extra) {
    this.extra = List.copyOf(extra);
  }

  @Override
  public Future<Void> deploy(Vertx vertx, NodeServices services) {
    boolean demo = services.config().node().demo();
    String node = services.config().node().id();
    MeterRegistry meters = services.meters() == null ? new SimpleMeterRegistry() : services.meters();
    return vertx.executeBlocking(() -> {
      List<SagaDefinition> all = new ArrayList<>(SagaDefinitionFiles.load(services.config().saga().definitionsDir()));
      all.addAll(extra);
      if (demo) {
        all.add(OrderSaga.definition());
      }
      return new SagaDefinitions(all);
    }).compose(defs -> (demo
            ? vertx.deployVerticle(() -> new DemoParticipants(services.pool(), DemoParticipants.DEMO_FAILURE_RATE), new DeploymentOptions())
            : Future.succeededFuture("none"))
        .compose(x -> vertx.deployVerticle(
            () -> new SagaOrchestratorVerticle(services.config().saga(), services.pool(), services.analyticsPool(), meters, defs, node), new DeploymentOptions()))
        .compose(x -> demo
            ? vertx.deployVerticle(() -> new DemoLifecycleListener(services.pool()), new DeploymentOptions())
                .compose(y -> vertx.deployVerticle(() -> new DemoTraffic(), new DeploymentOptions()))
            : Future.succeededFuture("none")))
        .mapEmpty();
  }
}
