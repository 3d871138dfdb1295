package io.sagaz.fleet.core.saga;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Load-time checks of a saga definition. Each failure is a {@link SagaDefinitionException} naming
 * the saga and step, so a bad definition refuses to deploy with a reason an operator can act on.
 */
final class SagaDefinitionValidator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

  private SagaDefinitionValidator() {}

  static void validate(String saga, int version, List<StepDefinition> steps, Optional<Duration> deadline) {
    if (saga == null || !NAME.matcher(saga).matches()) {
      throw new SagaDefinitionException(saga, null,
          "name must be 1-100 letters, digits, '_', '.' or '-' starting with a letter or digit, was '" + saga + "'");
    }
    if (version < 1) {
      throw new SagaDefinitionException(saga, null, "version must be at least 1, was " + version);
    }
    deadline.ifPresent(d -> positive(saga, null, "deadline", d));
    if (steps.isEmpty()) {
      throw new SagaDefinitionException(saga, null, "has no steps");
    }
    Map<String, StepDefinition> byName = new HashMap<>();
    for (StepDefinition s : steps) {
      if (s == null) {
        throw new SagaDefinitionException(saga, null, "has an empty step entry");
      }
      if (s.name() == null || !NAME.matcher(s.name()).matches()) {
        throw new SagaDefinitionException(saga, s.name(),
            "step name must be 1-100 letters, digits, '_', '.' or '-' starting with a letter or digit");
      }
      if (byName.put(s.name(), s) != null) {
        throw new SagaDefinitionException(saga, s.name(), "duplicate step name");
      }
      checkStep(saga, s);
    }
    for (StepDefinition s : steps) {
      Set<String> seen = new HashSet<>();
      for (String dep : s.dependsOn()) {
        if (!byName.containsKey(dep)) {
          throw new SagaDefinitionException(saga, s.name(), "depends on unknown step '" + dep + "'");
        }
        if (dep.equals(s.name())) {
          throw new SagaDefinitionException(saga, s.name(), "depends on itself");
        }
        if (!seen.add(dep)) {
          throw new SagaDefinitionException(saga, s.name(), "lists dependency '" + dep + "' twice");
        }
      }
    }
    checkAcyclic(saga, steps, byName);
  }

  private static void checkStep(String saga, StepDefinition s) {
    if (s.action() == null || s.action().isBlank()) {
      throw new SagaDefinitionException(saga, s.name(), "missing action address");
    }
    if (s.compensation() != null && s.compensation().isBlank()) {
      throw new SagaDefinitionException(saga, s.name(), "compensation address is blank (omit it for a step with no undo)");
    }
    if (s.pivot() && s.hasCompensation()) {
      throw new SagaDefinitionException(saga, s.name(),
          "a pivot step cannot have a compensation: once it succeeds the saga is never rolled back");
    }
    positive(saga, s.name(), "timeout", s.timeout());
    RetryPolicy r = s.retry();
    if (r.maxAttempts() < 1) {
      throw new SagaDefinitionException(saga, s.name(), "retry attempts must be at least 1, was " + r.maxAttempts());
    }
    if (r.backoff() == null || r.backoff().isNegative()) {
      throw new SagaDefinitionException(saga, s.name(), "retry backoff must be zero or positive, was " + r.backoff());
    }
    if (r.maxBackoff() == null || r.maxBackoff().compareTo(r.backoff()) < 0) {
      throw new SagaDefinitionException(saga, s.name(),
          "retry maxBackoff (" + r.maxBackoff() + ") must be at least the backoff (" + r.backoff() + ")");
    }
    if (!(r.multiplier() >= 1.0) || Double.isInfinite(r.multiplier())) {
      throw new SagaDefinitionException(saga, s.name(), "retry multiplier must be at least 1, was " + r.multiplier());
    }
  }

  private static void positive(String saga, String step, String what, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new SagaDefinitionException(saga, step, what + " must be a positive duration, was " + d);
    }
  }

  // Depth-first search with colours; the first back edge found names a step on the cycle.
  private static void checkAcyclic(String saga, List<StepDefinition> steps, Map<String, StepDefinition> byName) {
    Map<String, Integer> colour = new HashMap<>();
    for (StepDefinition s : steps) {
      visit(saga, s, byName, colour, new java.util.ArrayDeque<>());
    }
  }

  private static void visit(String saga, StepDefinition s, Map<String, StepDefinition> byName,
      Map<String, Integer> colour, java.util.Deque<String> path) {
    int c = colour.getOrDefault(s.name(), 0);
    if (c == 2) {
      return;
    }
    path.addLast(s.name());
    if (c == 1) {
      List<String> p = List.copyOf(path);
      List<String> cycle = p.subList(p.indexOf(s.name()), p.size());
      throw new SagaDefinitionException(saga, s.name(), "dependency cycle " + String.join(" -> ", cycle));
    }
    colour.put(s.name(), 1);
    for (String dep : s.dependsOn()) {
      visit(saga, byName.get(dep), byName, colour, path);
    }
    colour.put(s.name(), 2);
    path.removeLast();
  }
}
