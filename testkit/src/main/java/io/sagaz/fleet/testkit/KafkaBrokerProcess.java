package io.sagaz.fleet.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The test broker of {@link InJvmKafka} in a JVM of its own ({@link KafkaBrokerMain}), on this JVM's
 * class path. Benchmarks use it so that the broker's garbage, GC pauses and JIT compilation land in
 * its own process, as they would with a broker deployed beside the node, rather than in the node's.
 * The child stops when this process closes its standard input, or dies.
 */
record KafkaBrokerProcess(Process process, Path log, String bootstrap) implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  static KafkaBrokerProcess start(List<String> jvmArgs) {
    Path log = null;
    Process process = null;
    try {
      log = Files.createTempFile("sagaz-kafka-broker-", ".log");
      List<String> command = new java.util.ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmArgs);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaBrokerMain.class.getName()));
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        Optional<String> line = bootstrapLine(log);
        if (line.isPresent()) {
          return new KafkaBrokerProcess(process, log, line.get());
        }
        if (!process.isAlive()) {
          throw new IllegalStateException("the Kafka broker process exited with status " + process.exitValue()
              + " before it was ready; its output is in " + log);
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("the Kafka broker process was not ready within " + START_TIMEOUT + "; its output is in " + log);
    } catch (IOException e) {
      throw new IllegalStateException("could not start the Kafka broker process: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Kafka broker process", e);
    } catch (RuntimeException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      throw e;
    }
  }

  private static Optional<String> bootstrapLine(Path log) throws IOException {
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.startsWith(KafkaBrokerMain.READY)).findFirst()
          .map(l -> l.substring(KafkaBrokerMain.READY.length()));
    } catch (java.io.UncheckedIOException e) {
      return Optional.empty(); // a line cut in the middle of a multi-byte character: read again later
    }
  }

  /** Closes the child's standard input (it stops its broker and exits), then waits up to 30 s. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
      Files.deleteIfExists(log);
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
