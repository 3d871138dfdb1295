package io.sagaz.fleet.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.saga.demo.OrderSaga;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SagaDefinitionFilesTest {

  static Path confSagas() {
    String root = System.getenv("SAGAZ_TEST_PROJECT_ROOT");
    return Path.of(root == null ? ".." : root, "conf", "sagas");
  }

  @Test
  void everyShippedDefinitionLoadsAndTheYamlOrderSagaEqualsTheJavaDsl() {
    List<SagaDefinition> defs = SagaDefinitionFiles.load(confSagas());
    assertThat(defs).extracting(SagaDefinition::name).contains("order", "trip");
    assertThat(defs.stream().filter(d -> d.name().equals("order")).findFirst()).contains(OrderSaga.definition());
    SagaDefinition trip = defs.stream().filter(d -> d.name().equals("trip")).findFirst().orElseThrow();
    assertThat(trip.levels()).containsExactly(List.of("book-flight", "book-hotel"), List.of("capture-payment"), List.of("send-tickets"));
  }

  @Test
  void aMissingFolderMeansNoDefinitions(@TempDir Path dir) {
    assertThat(SagaDefinitionFiles.load(dir.resolve("absent"))).isEmpty();
  }

  @Test
  void invalidYamlIsRefusedNamingFileSagaAndStep(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("bad.yaml"), """
        name: shop
        steps:
          - name: pay
            action: shop.pay
            dependsOn: [ship]
          - name: ship
            action: shop.ship
            dependsOn: [pay]
        """);
    assertThatThrownBy(() -> SagaDefinitionFiles.load(dir))
        .hasMessageContaining(f.toString())
        .hasMessageContaining("saga 'shop' step 'pay': dependency cycle pay -> ship -> pay");
    Files.writeString(f, "name: shop\nsteps: [ {name: a, action: x, timeout: soon} ]\n");
    assertThatThrownBy(() -> SagaDefinitionFiles.load(dir)).hasMessageContaining("saga 'shop' step 'a': timeout: bad duration 'soon'");
    Files.writeString(f, "name: shop\nsteps: [ {name: a} ]\n");
    assertThatThrownBy(() -> SagaDefinitionFiles.load(dir)).hasMessageContaining("saga 'shop' step 'a': missing action address");
    Files.writeString(f, "name: [unclosed\n");
    assertThatThrownBy(() -> SagaDefinitionFiles.load(dir)).hasMessageContaining("not valid YAML");
  }

  @Test
  void theModuleRefusesToDeployAnInvalidDefinitionAndRegistersNothing(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("dup.yaml"), """
        name: shop
        steps:
          - { name: pay, action: shop.pay }
          - { name: pay, action: shop.pay2 }
        """);
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.local("node-a", db)) {
      assertThatThrownBy(() -> node.deploySagas(List.of(), dir, Duration.ofSeconds(5), false).await())
          .hasMessageContaining("saga 'shop' step 'pay': duplicate step name");
      assertThat(node.vertx.deploymentIDs()).isEmpty();
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }
}
