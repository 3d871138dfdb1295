package io.sagaz.fleet.admin;

import io.sagaz.fleet.client.node.FleetModule;
import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.maintenance.MaintenanceVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Deploys the partition maintainer and its leader election (design.md section 7). */
public final class MaintenanceModule implements FleetModule {
  @Override
  public Future<Void> deploy(Vertx vertx, NodeServices services) {
    var config = services.config();
    return vertx.deployVerticle(() -> new MaintenanceVerticle(
            config.node().id(), config.maintenance(), services.pool(), services.meters()),
            new io.vertx.core.DeploymentOptions().setInstances(1))
        .mapEmpty();
  }
}
