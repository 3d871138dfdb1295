package io.sagaz.fleet.app.cli.init;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The deployment files {@code app/pom.xml} copies into the jar under {@code deploy/} at build time:
 * {@code docker/}, {@code k8s/} (without its check tools) and {@code conf/cluster-docker.xml}, keyed
 * by their path in the repository. Read from the jar itself, or from {@code target/classes} when the
 * command runs from the build tree.
 */
final class DeployBundle {
  static final String ROOT = "deploy";
  /**
   * Files that are links in the repository -> what they link to. The seed's Kubernetes quick start
   * applies {@code postgresql.yaml}; a jar holds no links, so the bundle carries a copy.
   */
  private static final Map<String, String> LINKS = Map.of("k8s/postgresql.yaml", "k8s/postgresql-ha.yaml");

  private DeployBundle() {}

  /** Every bundled file: repository path ({@code docker/docker-compose.yml}) -> content. */
  static SortedMap<String, byte[]> load() throws IOException {
    Path location;
    try {
      location = Path.of(DeployBundle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | SecurityException e) {
      throw new IOException("cannot locate the sagaz jar to read the bundled deployment files", e);
    }
    if (Files.isDirectory(location)) {
      return read(location.resolve(ROOT));
    }
    try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
      return read(jar.getPath("/" + ROOT));
    }
  }

  private static SortedMap<String, byte[]> read(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("this sagaz build carries no deployment files (" + root + " is missing); rebuild the app module");
    }
    SortedMap<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    LINKS.forEach((link, target) -> {
      if (files.containsKey(target)) {
        files.put(link, files.get(target));
      }
    });
    return files;
  }
}
