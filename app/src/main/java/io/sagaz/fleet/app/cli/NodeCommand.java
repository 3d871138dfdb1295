package io.sagaz.fleet.app.cli;

import io.sagaz.fleet.app.node.FleetNode;
import io.sagaz.fleet.core.config.SagazConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sagaz node}: runs a fleet node until SIGTERM / Ctrl-C. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run a node: joins the cluster, applies migrations and deploys the modules of its roles.")
public final class NodeCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  // Options are kept as text and go through the same validation as YAML and env values, so an error
  // names the configuration key (e.g. admin.port) whichever way the value was given.
  @Option(names = "--data-dir", paramLabel = "DIR", description = "node.dataDir: embedded PostgreSQL data and the admin token.")
  String dataDir;

  @Option(names = "--cluster-config", paramLabel = "FILE", description = "cluster.config: a Hazelcast XML/YAML file.")
  String clusterConfig;

  @Option(names = "--cluster-name", paramLabel = "NAME", description = "cluster.name: only nodes with the same name join.")
  String clusterName;

  @Option(names = "--roles", paramLabel = "ROLES", description = "node.roles: comma list of saga, outbox, maintenance, admin.")
  String roles;

  @Option(names = "--admin-port", paramLabel = "PORT", description = "admin.port (0 = any free port).")
  String adminPort;

  @Option(names = "--demo", description = "node.demo: deploy the demo saga and its participants.")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    SagazConfig cfg = config.load(overrides());
    FleetNode node = new FleetNode();
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "sagaz-shutdown"));
    node.start(cfg, System.out);
    new CountDownLatch(1).await(); // runs until the JVM is told to stop; the hook then stops the node
    return 0;
  }

  private Map<String, String> overrides() {
    Map<String, String> o = new LinkedHashMap<>();
    put(o, "node.dataDir", dataDir);
    put(o, "cluster.config", clusterConfig);
    put(o, "cluster.name", clusterName);
    put(o, "node.roles", roles);
    put(o, "admin.port", adminPort);
    if (demo) {
      o.put("node.demo", "true");
    }
    return o;
  }

  private static void put(Map<String, String> o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }
}
