package io.sagaz.fleet.app.cli.init;

import static io.sagaz.fleet.app.cli.CliRun.sagaz;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.app.cli.CliRun;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sagaz init} writes the repository's deployment files, complete and unchanged, and nothing else. */
class InitCommandTest {
  /** Surefire runs in the app module; the sources of the bundle are next to it. */
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir
  Path dir;

  @Test
  void localWithHaWritesTheComposeFleetWithEverythingItMounts() throws Exception {
    CliRun r = sagaz("init", "--local", "--with-ha", "--dir", dir.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    for (String f : List.of("docker/docker-compose.yml", "docker/pgbouncer/entrypoint.sh", "docker/postgres/replica-entrypoint.sh",
        "docker/.env.example", "conf/cluster-docker.xml", "k8s/monitoring/prometheus-alerts.yml")) {
      assertThat(Files.readString(dir.resolve(f))).as(f).isEqualTo(Files.readString(REPO.resolve(f)));
    }
    assertThat(Files.isExecutable(dir.resolve("docker/postgres/replica-entrypoint.sh"))).isTrue();
    assertThat(dir.resolve("docker/check-compose.py")).doesNotExist();
    assertThat(dir.resolve("k8s/postgresql-ha.yaml")).doesNotExist();
    // Every file the compose file bind-mounts (./x and ../x) is there, relative to docker/.
    String compose = Files.readString(dir.resolve("docker/docker-compose.yml"));
    Matcher mounts = Pattern.compile("(?m)^\\s+- (\\.\\.?/[^:]+):").matcher(compose);
    int count = 0;
    while (mounts.find()) {
      count++;
      assertThat(dir.resolve("docker").resolve(mounts.group(1)).normalize()).as(mounts.group(1)).exists();
    }
    assertThat(count).isGreaterThan(5);
    assertThat(r.out()).contains("wrote docker/docker-compose.yml", "docker-compose up -d", "HA included");
  }

  @Test
  void withHaAloneMeansLocal() {
    CliRun r = sagaz("init", "--with-ha", "--dir", dir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(dir.resolve("docker/docker-compose.yml")).exists();
  }

  @Test
  void k8sWithHaWritesManifestsThatRender() throws Exception {
    CliRun r = sagaz("init", "--k8s", "--with-ha", "--dir", dir.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("kubectl apply -k " + dir.resolve("k8s"));
    assertThat(dir.resolve("k8s/tools")).doesNotExist();
    assertThat(dir.resolve("docker")).doesNotExist();
    // The seed's quick start applies postgresql.yaml: a copy of the HA StatefulSet, not a link's text.
    assertThat(dir.resolve("k8s/postgresql.yaml")).hasSameBinaryContentAs(dir.resolve("k8s/postgresql-ha.yaml"));
    // Every resource the kustomization lists is there ...
    for (String line : Files.readAllLines(dir.resolve("k8s/kustomization.yaml"))) {
      Matcher m = Pattern.compile("^  - ([\\w.-]+)$").matcher(line);
      if (m.matches()) {
        assertThat(dir.resolve("k8s").resolve(m.group(1))).as(line).exists();
      }
    }
    // ... and where kubectl is installed (CI, these machines), it renders offline.
    Optional<Path> kubectl = onPath("kubectl");
    if (kubectl.isPresent()) {
      Process p = new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.resolve("k8s").toString())
          .redirectErrorStream(true).start();
      String rendered = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(rendered).isZero();
      assertThat(rendered).contains("kind: StatefulSet", "name: pgbouncer-ro", "name: sagaz-node", "pgbouncer: true");
    }
  }

  @Test
  void existingFilesAreNotOverwrittenWithoutForce() throws Exception {
    assertThat(sagaz("init", "--k8s", "--dir", dir.toString()).exit()).isZero();
    Path edited = dir.resolve("k8s/secrets-example.yaml");
    Files.writeString(edited, "my secrets\n");

    CliRun refused = sagaz("init", "--k8s", "--dir", dir.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("already exist", "nothing was written", "--force");
    assertThat(Files.readString(edited)).isEqualTo("my secrets\n");

    CliRun forced = sagaz("init", "--k8s", "--force", "--dir", dir.toString());
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(forced.out()).contains("wrote k8s/secrets-example.yaml (overwritten)");
    assertThat(Files.readString(edited)).isEqualTo(Files.readString(REPO.resolve("k8s/secrets-example.yaml")));
  }

  @Test
  void selfhostIsRefusedNamingTheAlternativesAndWritesNothing() throws IOException {
    CliRun r = sagaz("init", "--selfhost", "--with-ha", "--dir", dir.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("not supported", "sagaz init --local", "sagaz init --k8s");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void conflictingTargetsAndUnknownPresetsAreUsageErrors() throws IOException {
    assertThat(sagaz("init", "--local", "--k8s", "--dir", dir.toString()).exit()).isEqualTo(2);
    CliRun preset = sagaz("init", "--local", "--preset", "mysql", "--dir", dir.toString());
    assertThat(preset.exit()).isEqualTo(2);
    assertThat(preset.err()).contains("'mysql'", "postgres");
    assertThat(sagaz("init", "--local", "--preset", "postgres", "--dir", dir.toString()).exit()).isZero();
  }

  private static Optional<Path> onPath(String name) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(d -> !d.isBlank()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
  }

}
