package io.sagaz.fleet.core.saga;

import java.time.Instant;

/**
 * A lifecycle event a transition emits: written to the outbox in the transition's transaction and
 * published on {@code sagaz.saga.events} after commit.
 *
 * @param type       {@code saga.started}, {@code saga.completed}, {@code saga.compensating},
 *                   {@code saga.rolled_back}, {@code saga.failed}, {@code step.succeeded},
 *                   {@code step.failed}, {@code step.compensated}, {@code step.compensation_failed}
 * @param status     the saga status after the transition
 * @param step       the step for {@code step.*} events, else null
 * @param at         when it happened
 */
public record LifecycleEvent(String type, SagaStatus status, String step, Instant at) {}
