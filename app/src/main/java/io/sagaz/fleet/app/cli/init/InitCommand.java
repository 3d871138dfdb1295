package io.sagaz.fleet.app.cli.init;

import io.sagaz.fleet.app.Sagaz;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sagaz init}: writes the project's deployment files into a directory, keeping the repository
 * layout ({@code docker/}, {@code k8s/}, {@code conf/}) because the files refer to each other by
 * relative path. The bundle is always the HA set-up of the seeds (replica, pgbouncer-ro): the nodes'
 * analytics reads, Grafana's replica datasource and the network policies are wired to it, so
 * {@code --with-ha} is accepted as the seeds write it and changes nothing. Exit codes: 0 written,
 * 1 files exist (nothing written) or cannot be written, 2 bad usage or an unsupported target.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = {
        "Write the deployment files: --local the docker-compose fleet (docker/, with the monitoring files and "
            + "conf/cluster-docker.xml it mounts), --k8s the Kubernetes manifests (k8s/, `kubectl apply -k`).",
        "Both are the HA set-up (PostgreSQL primary + streaming replica, PgBouncer rw/ro); --with-ha is "
            + "accepted and changes nothing. --selfhost is not supported."})
public final class InitCommand implements Callable<Integer> {
  @Option(names = "--local", description = "docker-compose files (the default).")
  boolean local;

  @Option(names = "--k8s", description = "Kubernetes manifests.")
  boolean k8s;

  @Option(names = "--selfhost", description = "Not supported: says what to use instead.")
  boolean selfhost;

  @Option(names = "--with-ha", description = "Accepted for the seeds' commands; the bundle always includes HA.")
  boolean withHa;

  @Option(names = "--preset", paramLabel = "NAME", description = "Storage preset; only 'postgres' exists (the seeds' --preset postgres).")
  String preset;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".", description = "Target directory (default: the current one).")
  Path dir;

  @Option(names = "--force", description = "Overwrite files that already exist.")
  boolean force;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    if (selfhost) {
      cmd.getErr().println("sagaz init --selfhost is not supported: Sagaz Fleet ships no systemd units or "
          + "replication scripts. Use `sagaz init --local` (docker-compose) or `sagaz init --k8s` (Kubernetes), "
          + "or run `sagaz node` on your hosts against your own PostgreSQL and PgBouncer (db.url, db.pgbouncer).");
      cmd.getErr().flush();
      return Sagaz.EXIT_CONFIG;
    }
    if (local && k8s) {
      throw new CommandLine.ParameterException(cmd, "choose one of --local and --k8s");
    }
    if (preset != null && !preset.equals("postgres")) {
      throw new CommandLine.ParameterException(cmd, "--preset '" + preset + "' is unknown; the only preset is 'postgres'");
    }
    InitTarget target = k8s ? InitTarget.K8S : InitTarget.LOCAL;
    SortedMap<String, byte[]> files = target.select(DeployBundle.load());
    Path root = dir.toAbsolutePath().normalize();
    List<String> existing = files.keySet().stream().filter(f -> Files.exists(root.resolve(f))).toList();
    PrintWriter out = cmd.getOut();
    if (!existing.isEmpty() && !force) {
      cmd.getErr().println("sagaz init: " + existing.size() + " file(s) already exist in " + root + ", e.g. "
          + String.join(", ", existing.subList(0, Math.min(3, existing.size())))
          + "; nothing was written. Use --force to overwrite them.");
      cmd.getErr().flush();
      return Sagaz.EXIT_FAILED;
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      write(root.resolve(f.getKey()), f.getValue());
      out.println("  wrote " + f.getKey() + (existing.contains(f.getKey()) ? " (overwritten)" : ""));
    }
    out.println(files.size() + " file(s) written under " + root + " (" + target.what + ", HA included).");
    out.println();
    out.println("Next:");
    target.nextSteps(root).forEach(line -> out.println("  " + line));
    out.flush();
    return 0;
  }

  private static void write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    String name = file.getFileName().toString();
    // Scripts keep the executable bit a jar cannot carry (compose and the image run them directly).
    if (name.endsWith(".sh") || name.equals("sagaz")) {
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: nothing to keep
      }
    }
  }
}
