package io.sagaz.fleet.core.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated saga definition: named, versioned steps forming a DAG through {@code dependsOn}.
 * Construction validates (see {@link SagaDefinitionValidator}), so every instance can be deployed.
 * Build one with {@link #builder(String)} or from a YAML/JSON tree with {@link SagaDefinitionParser}.
 *
 * @param name            saga name, used to start it and as metrics tag
 * @param version         definition version stored with each execution
 * @param steps           the steps, in declaration order
 * @param failureStrategy what a failing parallel branch does to the others
 * @param deadline        the whole saga must finish within this, else it is rolled back; empty = none
 */
public record SagaDefinition(
    String name, int version, List<StepDefinition> steps, FailureStrategy failureStrategy, Optional<Duration> deadline) {

  public SagaDefinition {
    steps = steps == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(steps));
    failureStrategy = failureStrategy == null ? FailureStrategy.FAIL_FAST : failureStrategy;
    deadline = deadline == null ? Optional.empty() : deadline;
    SagaDefinitionValidator.validate(name, version, steps, deadline);
  }

  /** Starts a definition in the Java DSL. */
  public static SagaDefinitionBuilder builder(String name) {
    return new SagaDefinitionBuilder(name);
  }

  /** The step called {@code name}. */
  public StepDefinition step(String stepName) {
    for (StepDefinition s : steps) {
      if (s.name().equals(stepName)) {
        return s;
      }
    }
    throw new IllegalArgumentException("saga '" + name + "' has no step '" + stepName + "'");
  }

  /** Steps that name {@code stepName} in their {@code dependsOn}. */
  public List<StepDefinition> dependents(String stepName) {
    return steps.stream().filter(s -> s.dependsOn().contains(stepName)).toList();
  }

  /**
   * Steps grouped by depth in the DAG: level 0 has no dependencies, level n depends on something at
   * level n-1. Steps of one level may run (and be compensated) in parallel.
   */
  public List<List<String>> levels() {
    Map<String, Integer> depth = new LinkedHashMap<>();
    for (StepDefinition s : steps) {
      depthOf(s, depth);
    }
    List<List<String>> levels = new ArrayList<>();
    depth.forEach((step, d) -> {
      while (levels.size() <= d) {
        levels.add(new ArrayList<>());
      }
      levels.get(d).add(step);
    });
    return levels.stream().map(List::copyOf).toList();
  }

  private int depthOf(StepDefinition s, Map<String, Integer> depth) {
    Integer known = depth.get(s.name());
    if (known != null) {
      return known;
    }
    int d = 0;
    for (String dep : s.dependsOn()) {
      d = Math.max(d, depthOf(step(dep), depth) + 1);
    }
    depth.put(s.name(), d);
    return d;
  }
}
