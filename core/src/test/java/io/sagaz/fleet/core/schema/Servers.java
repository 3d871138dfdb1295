package io.sagaz.fleet.core.schema;

import io.sagaz.fleet.testkit.PostgresFixture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The PostgreSQL servers every schema test runs on: the environment's server (PostgreSQL 15 on the
 * CI machines, via {@code SAGAZ_TEST_PG_URL}) and the embedded PostgreSQL 17. Use as
 * {@code @MethodSource("io.sagaz.fleet.core.schema.Servers#all")}.
 */
final class Servers {
  private Servers() {}

  static Stream<Named<PostgresFixture>> all() {
    PostgresFixture shared = PostgresFixture.shared();
    PostgresFixture embedded = PostgresFixture.embedded();
    if (shared == embedded) {
      return Stream.of(Named.of("embedded PostgreSQL " + embedded.serverVersion(), embedded));
    }
    return Stream.of(
        Named.of(shared.kind() + " PostgreSQL " + shared.serverVersion(), shared),
        Named.of("embedded PostgreSQL " + embedded.serverVersion(), embedded));
  }
}
