package io.sagaz.fleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Free TCP ports on loopback for node processes (admin API, Hazelcast member ports). */
public final class FreePorts {
  private FreePorts() {}

  /** A port nothing listens on right now. */
  public static int one() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first of {@code count} consecutive free ports, picked at random between 20000 and 60000, so
   * a test cluster's Hazelcast members (which probe {@code base .. base + portCount - 1}) meet neither
   * the default 5701 range nor another test's cluster.
   */
  public static int range(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20000, 60000 - count);
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports found");
  }

  private static boolean allFree(int base, int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int p = base; p < base + count; p++) {
        ServerSocket s = new ServerSocket();
        held.add(s);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // only probing
        }
      }
    }
  }

  /** True when something accepts connections on the loopback port. */
  public static boolean listening(int port) {
    try (var socket = new java.net.Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
