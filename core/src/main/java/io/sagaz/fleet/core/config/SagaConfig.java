package io.sagaz.fleet.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Saga orchestration.
 *
 * @param definitionsDir folder of YAML saga definitions ({@code conf/sagas}); may not exist
 * @param leaseTimeout   a saga whose owner has not renewed for this long is resumed by another node
 * @param recoveryInterval how often a node looks for sagas with expired leases
 */
public record SagaConfig(Path definitionsDir, Duration leaseTimeout, Duration recoveryInterval) {
  public SagaConfig {
    Check.positive("saga.leaseTimeout", leaseTimeout);
    Check.positive("saga.recoveryInterval", recoveryInterval);
  }
}
