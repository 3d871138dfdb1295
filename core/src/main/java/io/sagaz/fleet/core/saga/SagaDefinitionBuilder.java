package io.sagaz.fleet.core.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Java DSL for saga definitions:
 *
 * <pre>{@code
 * SagaDefinition order = SagaDefinition.builder("order")
 *     .deadline(Duration.ofMinutes(1))
 *     .step("reserve", s -> s.action("inventory.reserve").compensation("inventory.release")
 *         .retry(3, Duration.ofMillis(100)))
 *     .step("charge", s -> s.action("payment.charge").compensation("payment.refund").dependsOn("reserve"))
 *     .step("ship", s -> s.action("shipping.ship").dependsOn("charge").pivot())
 *     .build();
 * }</pre>
 *
 * {@link #build()} validates and throws {@link SagaDefinitionException} naming saga and step.
 */
public final class SagaDefinitionBuilder {
  private final String name;
  private int version = 1;
  private FailureStrategy failureStrategy = FailureStrategy.FAIL_FAST;
  private Duration deadline;
  private final List<StepDefinition> steps = new ArrayList<>();

  SagaDefinitionBuilder(String name) {
    this.name = name;
  }

  public SagaDefinitionBuilder version(int v) {
    this.version = v;
    return this;
  }

  public SagaDefinitionBuilder failureStrategy(FailureStrategy strategy) {
    this.failureStrategy = strategy;
    return this;
  }

  /** The whole saga must end within {@code d}; past it the saga is rolled back (unless past a pivot). */
  public SagaDefinitionBuilder deadline(Duration d) {
    this.deadline = d;
    return this;
  }

  public SagaDefinitionBuilder step(String stepName, Consumer<Step> spec) {
    Step s = new Step(stepName);
    spec.accept(s);
    steps.add(s.build());
    return this;
  }

  public SagaDefinition build() {
    return new SagaDefinition(name, version, steps, failureStrategy, Optional.ofNullable(deadline));
  }

  /** Settings of one step; {@code action} is required. */
  public static final class Step {
    private final String name;
    private String action;
    private String compensation;
    private final List<String> dependsOn = new ArrayList<>();
    private Duration timeout = StepDefinition.DEFAULT_TIMEOUT;
    private RetryPolicy retry = RetryPolicy.NONE;
    private boolean pivot;

    Step(String name) {
      this.name = name;
    }

    public Step action(String address) {
      this.action = address;
      return this;
    }

    public Step compensation(String address) {
      this.compensation = address;
      return this;
    }

    public Step dependsOn(String... stepNames) {
      dependsOn.addAll(List.of(stepNames));
      return this;
    }

    public Step timeout(Duration d) {
      this.timeout = d;
      return this;
    }

    public Step retry(int attempts, Duration backoff) {
      this.retry = RetryPolicy.of(attempts, backoff);
      return this;
    }

    public Step retry(RetryPolicy policy) {
      this.retry = policy;
      return this;
    }

    public Step pivot() {
      this.pivot = true;
      return this;
    }

    StepDefinition build() {
      return new StepDefinition(name, action, compensation, dependsOn, timeout, retry, pivot);
    }
  }
}
