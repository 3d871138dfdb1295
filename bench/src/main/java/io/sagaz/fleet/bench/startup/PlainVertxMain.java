package io.sagaz.fleet.bench.startup;

import io.vertx.core.Vertx;

/**
 * Baseline for {@link StartupBench}: the least a Vert.x service does (non-clustered Vert.x and one
 * HTTP server), run from the same fat jar, so the node's figures can be read against it.
 */
public final class PlainVertxMain {
  private PlainVertxMain() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1").await();
    System.out.println(StartupBench.BASELINE_READY);
    System.out.flush();
    Thread.currentThread().join();
  }
}
