package io.sagaz.fleet.saga;

import io.sagaz.fleet.core.saga.SagaDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The definitions this node can run, by name and version. New sagas start on the latest version;
 * a saga resumed after a takeover runs on the version it started with.
 */
public final class SagaDefinitions {
  private final Map<String, NavigableMap<Integer, SagaDefinition>> byName = new ConcurrentHashMap<>();

  public SagaDefinitions(List<SagaDefinition> defs) {
    defs.forEach(this::add);
  }

  private void add(SagaDefinition d) {
    NavigableMap<Integer, SagaDefinition> versions = byName.computeIfAbsent(d.name(), n -> new TreeMap<>());
    SagaDefinition old = versions.putIfAbsent(d.version(), d);
    if (old != null && !old.equals(d)) {
      throw new IllegalArgumentException("saga '" + d.name() + "' version " + d.version()
          + " is defined twice with different content; raise the version of the changed one");
    }
  }

  public Optional<SagaDefinition> latest(String name) {
    NavigableMap<Integer, SagaDefinition> v = byName.get(name);
    return v == null ? Optional.empty() : Optional.of(v.lastEntry().getValue());
  }

  public Optional<SagaDefinition> get(String name, int version) {
    NavigableMap<Integer, SagaDefinition> v = byName.get(name);
    return v == null ? Optional.empty() : Optional.ofNullable(v.get(version));
  }

  public List<String> names() {
    return byName.keySet().stream().sorted().toList();
  }

  public List<SagaDefinition> latestOfEach() {
    List<SagaDefinition> out = new ArrayList<>();
    names().forEach(n -> latest(n).ifPresent(out::add));
    return out;
  }
}
