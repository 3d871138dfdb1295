package io.sagaz.fleet.core.saga;

import io.sagaz.fleet.core.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a saga definition from a parsed YAML or JSON tree (maps, lists, strings, numbers, booleans),
 * producing the same model as the Java DSL. Unknown keys are refused rather than ignored: in a
 * definition file a misspelt {@code dependsOn} would otherwise silently change the saga.
 *
 * <pre>
 * name: order
 * version: 1
 * deadline: 60s
 * failureStrategy: fail-fast        # or wait-all
 * steps:
 *   - name: reserve-inventory
 *     action: demo.inventory.reserve
 *     compensation: demo.inventory.release
 *     timeout: 2s
 *     retry: { attempts: 3, backoff: 100ms, multiplier: 2, maxBackoff: 2s }
 *   - name: charge-payment
 *     action: demo.payment.charge
 *     dependsOn: [reserve-inventory]
 *     pivot: false
 * </pre>
 */
public final class SagaDefinitionParser {
  private static final Set<String> SAGA_KEYS = Set.of("name", "version", "deadline", "failureStrategy", "steps", "description");
  private static final Set<String> STEP_KEYS =
      Set.of("name", "action", "compensation", "dependsOn", "timeout", "retry", "pivot", "description");
  private static final Set<String> RETRY_KEYS = Set.of("attempts", "backoff", "multiplier", "maxBackoff");

  private SagaDefinitionParser() {}

  /** The definition in {@code tree}; {@link SagaDefinitionException} naming saga, step and key otherwise. */
  public static SagaDefinition parse(Map<String, ?> tree) {
    if (tree == null) {
      throw new SagaDefinitionException(null, null, "definition is empty");
    }
    String saga = tree.get("name") instanceof String s ? s : null;
    if (saga == null) {
      throw new SagaDefinitionException(null, null, "missing 'name' (a string)");
    }
    unknownKeys(saga, null, tree, SAGA_KEYS, "");
    int version = intValue(saga, null, "version", tree.get("version"), 1);
    Optional<Duration> deadline = Optional.ofNullable(duration(saga, null, "deadline", tree.get("deadline"), null));
    FailureStrategy strategy = FailureStrategy.FAIL_FAST;
    Object fs = tree.get("failureStrategy");
    if (fs != null) {
      strategy = FailureStrategy.of(String.valueOf(fs)).orElseThrow(() -> new SagaDefinitionException(saga, null,
          "failureStrategy must be 'fail-fast' or 'wait-all', was '" + fs + "'"));
    }
    if (!(tree.get("steps") instanceof List<?> rawSteps)) {
      throw new SagaDefinitionException(saga, null, "missing 'steps' (a list)");
    }
    List<StepDefinition> steps = new ArrayList<>();
    for (int i = 0; i < rawSteps.size(); i++) {
      steps.add(step(saga, i, rawSteps.get(i)));
    }
    return new SagaDefinition(saga, version, steps, strategy, deadline);
  }

  /** The tree {@link #parse} reads: render a definition back to the YAML/JSON form. */
  public static Map<String, Object> toTree(SagaDefinition d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.name());
    m.put("version", d.version());
    d.deadline().ifPresent(x -> m.put("deadline", Durations.format(x)));
    m.put("failureStrategy", d.failureStrategy().id());
    List<Object> steps = new ArrayList<>();
    for (StepDefinition s : d.steps()) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("name", s.name());
      sm.put("action", s.action());
      if (s.hasCompensation()) {
        sm.put("compensation", s.compensation());
      }
      sm.put("dependsOn", new ArrayList<>(s.dependsOn()));
      sm.put("timeout", Durations.format(s.timeout()));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("attempts", s.retry().maxAttempts());
      r.put("backoff", Durations.format(s.retry().backoff()));
      r.put("multiplier", s.retry().multiplier());
      r.put("maxBackoff", Durations.format(s.retry().maxBackoff()));
      sm.put("retry", r);
      sm.put("pivot", s.pivot());
      steps.add(sm);
    }
    m.put("steps", steps);
    return m;
  }

  private static StepDefinition step(String saga, int index, Object raw) {
    if (!(raw instanceof Map<?, ?> m)) {
      throw new SagaDefinitionException(saga, "#" + (index + 1), "a step must be a mapping with at least 'name' and 'action'");
    }
    String name = m.get("name") instanceof String s ? s : null;
    String label = name == null ? "#" + (index + 1) : name;
    if (name == null) {
      throw new SagaDefinitionException(saga, label, "missing 'name' (a string)");
    }
    unknownKeys(saga, label, m, STEP_KEYS, "");
    String action = string(saga, label, "action", m.get("action"));
    String compensation = string(saga, label, "compensation", m.get("compensation"));
    List<String> dependsOn = new ArrayList<>();
    Object deps = m.get("dependsOn");
    if (deps instanceof String one) {
      dependsOn.add(one);
    } else if (deps instanceof List<?> list) {
      for (Object d : list) {
        if (!(d instanceof String ds)) {
          throw new SagaDefinitionException(saga, label, "dependsOn entries must be step names, found " + d);
        }
        dependsOn.add(ds);
      }
    } else if (deps != null) {
      throw new SagaDefinitionException(saga, label, "dependsOn must be a list of step names");
    }
    Duration timeout = duration(saga, label, "timeout", m.get("timeout"), StepDefinition.DEFAULT_TIMEOUT);
    RetryPolicy retry = retry(saga, label, m.get("retry"));
    Object pivot = m.get("pivot");
    if (pivot != null && !(pivot instanceof Boolean)) {
      throw new SagaDefinitionException(saga, label, "pivot must be true or false, was '" + pivot + "'");
    }
    return new StepDefinition(name, action, compensation, dependsOn, timeout, retry, Boolean.TRUE.equals(pivot));
  }

  private static RetryPolicy retry(String saga, String step, Object raw) {
    if (raw == null) {
      return RetryPolicy.NONE;
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw new SagaDefinitionException(saga, step, "retry must be a mapping {attempts, backoff, multiplier?, maxBackoff?}");
    }
    unknownKeys(saga, step, m, RETRY_KEYS, "retry.");
    int attempts = intValue(saga, step, "retry.attempts", m.get("attempts"), 1);
    Duration backoff = duration(saga, step, "retry.backoff", m.get("backoff"), Duration.ofMillis(100));
    double multiplier = 2.0;
    Object mult = m.get("multiplier");
    if (mult instanceof Number n) {
      multiplier = n.doubleValue();
    } else if (mult != null) {
      throw new SagaDefinitionException(saga, step, "retry.multiplier must be a number, was '" + mult + "'");
    }
    Duration defaultCap = backoff.compareTo(Duration.ofSeconds(30)) > 0 ? backoff : Duration.ofSeconds(30);
    Duration max = duration(saga, step, "retry.maxBackoff", m.get("maxBackoff"), defaultCap);
    return new RetryPolicy(attempts, backoff, multiplier, max);
  }

  private static void unknownKeys(String saga, String step, Map<?, ?> m, Set<String> allowed, String prefix) {
    for (Object k : m.keySet()) {
      if (!allowed.contains(String.valueOf(k))) {
        throw new SagaDefinitionException(saga, step, "unknown key '" + prefix + k + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String string(String saga, String step, String key, Object v) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new SagaDefinitionException(saga, step, key + " must be a string, was '" + v + "'");
    }
    return s;
  }

  private static int intValue(String saga, String step, String key, Object v, int dflt) {
    if (v == null) {
      return dflt;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return ((Number) v).intValue();
    }
    throw new SagaDefinitionException(saga, step, key + " must be a whole number, was '" + v + "'");
  }

  private static Duration duration(String saga, String step, String key, Object v, Duration dflt) {
    if (v == null) {
      return dflt;
    }
    try {
      return Durations.parse(String.valueOf(v));
    } catch (IllegalArgumentException e) {
      throw new SagaDefinitionException(saga, step, key + ": " + e.getMessage());
    }
  }
}
