package io.sagaz.fleet.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Several {@link NodeProcess}es forming one cluster of their own: a unique cluster name and a private
 * Hazelcast port range, so clusters of tests running side by side never merge.
 *
 * <pre>{@code
 * try (NodeCluster cluster = NodeCluster.start(3, (i, node) -> node.dbUrl(db.url()))) {
 *   cluster.node(0).kill9();
 * }
 * }</pre>
 */
public final class NodeCluster implements AutoCloseable {
  /** Ports reserved per cluster; matches the port-count of conf/cluster.xml. */
  public static final int PORT_RANGE = 20;

  private final String name;
  private final int clusterPort;
  private final List<NodeProcess> nodes = Collections.synchronizedList(new ArrayList<>());

  private NodeCluster(String name, int clusterPort) {
    this.name = name;
    this.clusterPort = clusterPort;
  }

  /** An empty cluster to {@link #add} nodes to. */
  public static NodeCluster create(String prefix) {
    return new NodeCluster(NodeProcess.uniqueClusterName(prefix), FreePorts.range(PORT_RANGE));
  }

  /**
   * Starts {@code count} nodes at once and waits until each is ready; {@code customize} gets the
   * node's index and builder (name, db url, roles ...). If any node fails, all are stopped.
   */
  public static NodeCluster start(int count, BiConsumer<Integer, NodeProcess.Builder> customize) {
    NodeCluster cluster = create("it");
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Future<NodeProcess>> starting = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        starting.add(pool.submit(() -> cluster.launchMember(b -> customize.accept(index, b.name("n" + index)))));
      }
      Exception failure = null;
      for (Future<NodeProcess> f : starting) {
        try {
          cluster.nodes.add(f.get()); // index order, whatever order they became ready in
        } catch (Exception e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw new AssertionError("cluster did not start: " + (e.getCause() != null ? e.getCause().getMessage() : e), e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Starts one more member (waits until it is ready). */
  public NodeProcess add(java.util.function.Consumer<NodeProcess.Builder> customize) {
    NodeProcess node = launchMember(customize);
    nodes.add(node);
    return node;
  }

  private NodeProcess launchMember(java.util.function.Consumer<NodeProcess.Builder> customize) {
    NodeProcess.Builder b = NodeProcess.builder().clusterName(name).clusterPort(clusterPort);
    customize.accept(b);
    return b.start();
  }

  public String name() {
    return name;
  }

  public NodeProcess node(int index) {
    return nodes().get(index);
  }

  /** Members in start order (index order for those started together by {@link #start}). */
  public List<NodeProcess> nodes() {
    synchronized (nodes) {
      return new ArrayList<>(nodes);
    }
  }

  /** Stops every node (SIGTERM, SIGKILL after a timeout), in parallel. */
  @Override
  public void close() {
    List<NodeProcess> all = nodes();
    List<Thread> stops = new ArrayList<>();
    for (NodeProcess n : all) {
      Thread t = new Thread(n::close, "stop-" + n.name());
      t.start();
      stops.add(t);
    }
    for (Thread t : stops) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
