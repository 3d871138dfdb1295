package io.sagaz.fleet.bench.startup;

import io.sagaz.fleet.testkit.FreePorts;
import io.sagaz.fleet.testkit.NodeCluster;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Collections;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Node start-up time and idle memory (issue 2): a {@code sagaz node} process from the fat jar, all roles,
 * against a running PostgreSQL that is already migrated, timed from process start to its ready line;
 * then its resident memory (VmRSS) after it idled. Baselines measured in the same run: {@code java
 * -version} and a plain Vert.x HTTP server from the same jar. The node is timed twice per run: as a
 * bare {@code java -jar}, and with the class-data-sharing archive {@code ./sagaz} uses. Goals: start
 * <= 3 s, RSS <= 350 MB. Timings on a shared machine follow its load: the load average is printed.
 *
 * <pre>
 * SAGAZ_TEST_PG_URL=postgresql://postgres@127.0.0.1:5432/postgres bench/run startup [runs, default 3]
 * </pre>
 */
public final class StartupBench {
  static final String BASELINE_READY = "plain vertx ready";
  private static final long IDLE_MILLIS = 5_000;

  private StartupBench() {}

  /**
   * One measured start: wall time to ready, CPU time the process used until then (a figure that depends
   * far less on how busy the machine is), and RSS after idling.
   */
  record Sample(double seconds, long rssKb, double cpuSeconds) {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path jar = NodeProcess.fatJar().toAbsolutePath();
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    Path work = Files.createTempDirectory("sagaz-startup-bench");
    try {
      List<Sample> javaVersion = new ArrayList<>();
      List<Sample> plain = new ArrayList<>();
      List<Sample> node = new ArrayList<>();
      List<Sample> nodeCds = new ArrayList<>();
      List<Sample> nodeCdsC1 = new ArrayList<>();
      Path archive = work.resolve("node.jsa");
      // Not counted: warms the page cache and writes the class-data-sharing archive ./sagaz would use.
      measure(nodeCommand(jar, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off")),
          nodeEnv(db, work), work, NodeProcess.READY_LINE);
      List<String> useArchive = List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
      // C1 only: start-up CPU roughly halves (no C2 compiling while the node starts), peak speed drops.
      List<String> useArchiveC1 = List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-XX:TieredStopAtLevel=1");
      for (int i = 0; i < runs; i++) {
        javaVersion.add(javaVersion());
        plain.add(measure(plainCommand(jar), Map.of(), work, BASELINE_READY));
        node.add(measure(nodeCommand(jar, List.of()), nodeEnv(db, work), work, NodeProcess.READY_LINE));
        nodeCds.add(measure(nodeCommand(jar, useArchive), nodeEnv(db, work), work, NodeProcess.READY_LINE));
        nodeCdsC1.add(measure(nodeCommand(jar, useArchiveC1), nodeEnv(db, work), work, NodeProcess.READY_LINE));
        System.err.printf(Locale.ROOT, "run %d: node %.2f s (cpu %.2f s) / %d MB, with CDS %.2f s (cpu %.2f s) / %d MB (load %s)%n",
            i + 1, node.get(i).seconds(), node.get(i).cpuSeconds(), node.get(i).rssKb() / 1024,
            nodeCds.get(i).seconds(), nodeCds.get(i).cpuSeconds(), nodeCds.get(i).rssKb() / 1024, loadAverage());
      }
      report(runs, javaVersion, plain, node, nodeCds, nodeCdsC1);
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  private static List<String> java() {
    return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
  }

  /** The node as {@code ./sagaz node} runs it: Hazelcast flags, default JVM ergonomics, {@code extra}. */
  private static List<String> nodeCommand(Path jar, List<String> extra) {
    List<String> cmd = java();
    cmd.addAll(NodeProcess.HAZELCAST_FLAGS);
    cmd.addAll(extra);
    cmd.addAll(List.of("-jar", jar.toString(), "node"));
    return cmd;
  }

  private static List<String> plainCommand(Path jar) {
    String benchClasses = Path.of(StartupBench.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    List<String> cmd = java();
    cmd.addAll(List.of("-cp", jar + File.pathSeparator + benchClasses, PlainVertxMain.class.getName()));
    return cmd;
  }

  private static Map<String, String> nodeEnv(TestDatabase db, Path work) {
    return Map.of(
        "SAGAZ_DB_URL", db.url(),
        "SAGAZ_CLUSTER_NAME", NodeProcess.uniqueClusterName("bench"),
        "SAGAZ_CLUSTER_PORT", Integer.toString(FreePorts.range(NodeCluster.PORT_RANGE)),
        "SAGAZ_ADMIN_PORT", Integer.toString(FreePorts.one()),
        "SAGAZ_ADMIN_TOKEN", "bench-token-0123456789",
        "SAGAZ_NODE_DATA_DIR", work.resolve("data").toString());
  }

  private static Sample javaVersion() throws Exception {
    List<String> cmd = java();
    cmd.add("-version");
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor();
    return new Sample((System.nanoTime() - t0) / 1e9, 0, 0);
  }

  /** Starts the process, times it to {@code readyLine}, lets it idle, reads VmRSS, then stops it. */
  private static Sample measure(List<String> cmd, Map<String, String> env, Path work, String readyLine) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("SAGAZ_"));
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    Thread reaper = new Thread(p::destroyForcibly, "reap-" + p.pid()); // if the bench itself is stopped
    Runtime.getRuntime().addShutdownHook(reaper);
    AtomicLong readyAt = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(1);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    // One thread reads the output to its end, so the child never blocks on a full pipe.
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (ready.getCount() > 0) {
            seen.add(line);
            if (line.contains(readyLine)) {
              readyAt.set(System.nanoTime());
              ready.countDown();
            }
          }
        }
      } catch (IOException ignored) {
        // the process went away
      }
    }, "output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!ready.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no '" + readyLine + "' within 120 s:\n" + String.join("\n", seen));
      }
      double seconds = (readyAt.get() - t0) / 1e9;
      double cpu = cpuSeconds(p.pid());
      Thread.sleep(IDLE_MILLIS);
      return new Sample(seconds, vmRssKb(p.pid()), cpu);
    } finally {
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
  }

  /** utime + stime of a process from /proc/<pid>/stat (clock ticks of 1/100 s on Linux). */
  private static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  private static long vmRssKb(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for pid " + pid);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static void report(int runs, List<Sample> javaVersion, List<Sample> plain, List<Sample> node,
      List<Sample> nodeCds, List<Sample> nodeCdsC1) {
    double jv = median(javaVersion.stream().map(Sample::seconds).toList());
    double pv = median(plain.stream().map(Sample::seconds).toList());
    double nv = median(node.stream().map(Sample::seconds).toList());
    double cv = median(nodeCds.stream().map(Sample::seconds).toList());
    double pRss = median(plain.stream().map(s -> s.rssKb() / 1024.0).toList());
    double nRss = median(node.stream().map(s -> s.rssKb() / 1024.0).toList());
    System.out.printf(Locale.ROOT, "StartupBench: medians of %d runs (cores %d, java %s, load average now %s)%n", runs,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage());
    System.out.printf(Locale.ROOT, "  start to ready  node %.2f s, with CDS archive (./sagaz) %.2f s (goal <= 3 s) | plain Vert.x %.2f s | java -version %.2f s%n",
        nv, cv, pv, jv);
    System.out.printf(Locale.ROOT, "                  node/plain Vert.x %.1fx, node+CDS/plain Vert.x %.1fx, node/java -version %.1fx%n",
        nv / pv, cv / pv, nv / jv);
    double pc = median(plain.stream().map(Sample::cpuSeconds).toList());
    double nc = median(node.stream().map(Sample::cpuSeconds).toList());
    double cc = median(nodeCds.stream().map(Sample::cpuSeconds).toList());
    double c1 = median(nodeCdsC1.stream().map(Sample::seconds).toList());
    double c1c = median(nodeCdsC1.stream().map(Sample::cpuSeconds).toList());
    System.out.printf(Locale.ROOT, "  CPU to ready    node %.2f s, with CDS %.2f s | plain Vert.x %.2f s | node/plain %.1fx, node+CDS/plain %.1fx%n",
        nc, cc, pc, nc / pc, cc / pc);
    System.out.printf(Locale.ROOT, "  CDS + C1 only   node %.2f s to ready, CPU %.2f s (JAVA_OPTS=-XX:TieredStopAtLevel=1: faster start, lower peak speed)%n",
        c1, c1c);
    System.out.printf(Locale.ROOT, "  idle RSS        node %.0f MB (goal <= 350 MB) | plain Vert.x %.0f MB | node/plain %.1fx%n",
        nRss, pRss, nRss / pRss);
    System.out.printf(Locale.ROOT, "  node runs (s): %s, with CDS: %s%n",
        node.stream().map(s -> String.format(Locale.ROOT, "%.2f", s.seconds())).toList(),
        nodeCds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s.seconds())).toList());
    System.out.printf(Locale.ROOT, "  node RSS (MB): %s%n", node.stream().map(s -> Long.toString(s.rssKb() / 1024)).toList());
  }
}
