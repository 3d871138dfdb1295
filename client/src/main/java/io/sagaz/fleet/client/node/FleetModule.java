package io.sagaz.fleet.client.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A role's deployable part. The app deploys, for each configured role, the module that serves it;
 * the returned future completes when everything the module started is ready (consumers registered,
 * servers listening) and fails if any of it failed.
 */
public interface FleetModule {
  /** Deploys this module's verticles on {@code vertx} with what the node provides. */
  Future<Void> deploy(Vertx vertx, NodeServices services);
}
