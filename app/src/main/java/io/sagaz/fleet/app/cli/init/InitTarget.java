package io.sagaz.fleet.app.cli.init;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** What {@code sagaz init} writes for each platform, and what to run next. */
enum InitTarget {
  /** docker-compose: docker/, plus the alert rules and dashboards it mounts from k8s/monitoring/ and conf/cluster-docker.xml. */
  LOCAL("docker-compose", List.of("docker/", "k8s/monitoring/", "conf/")),
  /** Kubernetes: every manifest of k8s/ (kustomize root k8s/kustomization.yaml). */
  K8S("Kubernetes", List.of("k8s/"));

  final String what;
  private final List<String> prefixes;

  InitTarget(String what, List<String> prefixes) {
    this.what = what;
    this.prefixes = prefixes;
  }

  SortedMap<String, byte[]> select(SortedMap<String, byte[]> bundle) {
    SortedMap<String, byte[]> chosen = new TreeMap<>();
    bundle.forEach((path, content) -> {
      if (prefixes.stream().anyMatch(path::startsWith)) {
        chosen.put(path, content);
      }
    });
    return chosen;
  }

  List<String> nextSteps(Path root) {
    return switch (this) {
      case LOCAL -> List.of(
          "cd " + root.resolve("docker"),
          "cp .env.example .env          # set SAGAZ_ADMIN_TOKEN (16+ characters)",
          "docker-compose up -d          # or: docker compose up -d",
          "docker-compose logs -f postgres-init",
          "The node image sagaz-fleet:local is built from a Sagaz Fleet checkout (build context ..): outside one,",
          "build it there first (docker build -f docker/Dockerfile -t sagaz-fleet:local <checkout>) and use `up -d --no-build`.");
      case K8S -> List.of(
          "edit " + root.resolve("k8s/secrets-example.yaml") + " (every value) and the image in k8s/kustomization.yaml",
          "kubectl apply -k " + root.resolve("k8s"),
          "kubectl get pods -n sagaz -w",
          "See k8s/README.md for the add-ons (StorageClass, metrics-server, prometheus-adapter).");
    };
  }
}
