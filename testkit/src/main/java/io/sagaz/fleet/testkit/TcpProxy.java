package io.sagaz.fleet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder in front of a real service, for outage tests: {@link #cut()} closes the
 * listening socket and every open connection (clients see connection reset, then refused);
 * {@link #stall()} keeps every connection open but forwards nothing (a service that stops answering:
 * a hung broker, a black-holed route), and {@link #restore()} ends either: it listens on the same port
 * again and forwards what waited. The service itself keeps running; what the
 * client experiences is a real network outage, not a simulated failure inside the client.
 * A protocol that hands out other addresses (Kafka's advertised listeners) must hand out the proxy's:
 * see {@link KafkaFixture#startInJvmBehind(TcpProxy)}.
 */
public final class TcpProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;
  private final Object gate = new Object();
  private boolean stalled;

  public TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.port = KafkaFixture.freePort();
    restore();
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** The port of the service behind the proxy. */
  public int targetPort() {
    return targetPort;
  }

  /** Starts (again) accepting and forwarding connections on {@link #port()}. */
  public synchronized void restore() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
    if (server != null) {
      return;
    }
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      server = s;
      Thread t = new Thread(() -> accept(s), "tcp-proxy-" + port);
      t.setDaemon(true);
      t.start();
    } catch (IOException e) {
      throw new IllegalStateException("proxy could not listen on " + port + ": " + e.getMessage(), e);
    }
  }

  /** Stops listening and drops every connection. */
  public synchronized void cut() {
    ServerSocket s = server;
    server = null;
    closeQuietly(s);
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  /** Holds every byte in both directions, on open and new connections, until {@link #restore()}. */
  public void stall() {
    synchronized (gate) {
      stalled = true;
    }
  }

  private void awaitForwarding() throws IOException {
    synchronized (gate) {
      while (stalled) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while stalled", e);
        }
      }
    }
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // closed by cut(), or the target refused: the client sees its connection close
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          awaitForwarding();
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-proxy-pump-" + port);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
  }
}
