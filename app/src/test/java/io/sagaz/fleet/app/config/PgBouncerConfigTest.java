package io.sagaz.fleet.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sagaz.fleet.core.config.ConfigException;
import io.sagaz.fleet.core.config.SagazConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code db.pgbouncer} and {@code db.pgbouncerAdminUrl}: defaults, env names, validation. */
class PgBouncerConfigTest {

  @Test
  void offAndUnsetByDefault() {
    SagazConfig c = new ConfigLoader(Map.of()).load(null, Map.of());
    assertThat(c.db().pgbouncer()).isFalse();
    assertThat(c.db().pgbouncerAdminUrl()).isEmpty();
  }

  @Test
  void setFromTheEnvironmentAsDockerComposeDoes() {
    SagazConfig c = new ConfigLoader(Map.of(
        "SAGAZ_DB_URL", "postgresql://postgres:pw@pgbouncer-rw:6432/sagaz",
        "SAGAZ_DB_PGBOUNCER", "true",
        "SAGAZ_DB_PGBOUNCER_ADMIN_URL", "postgresql://postgres:pw@pgbouncer-rw:6432/pgbouncer")).load(null, Map.of());
    assertThat(c.db().pgbouncer()).isTrue();
    assertThat(c.db().pgbouncerAdminUrl()).contains("postgresql://postgres:pw@pgbouncer-rw:6432/pgbouncer");
  }

  @Test
  void anAdminUrlThatIsNotTheConsoleDatabaseIsRefusedNamingTheKeyWithoutThePassword() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of(
        "SAGAZ_DB_PGBOUNCER_ADMIN_URL", "postgresql://postgres:secret@pgbouncer-rw:6432/sagaz")).load(null, Map.of()));
    assertThat(e.key()).isEqualTo("db.pgbouncerAdminUrl");
    assertThat(e.getMessage()).contains("/pgbouncer", "SAGAZ_DB_PGBOUNCER_ADMIN_URL").doesNotContain("secret");
  }

  @Test
  void severalConsolesAreGivenCommaSeparatedAndEachIsChecked() {
    SagazConfig c = new ConfigLoader(Map.of("SAGAZ_DB_PGBOUNCER_ADMIN_URL",
        "postgresql://postgres:pw@pgbouncer-rw:6432/pgbouncer, postgresql://postgres:pw@pgbouncer-ro:6432/pgbouncer"))
        .load(null, Map.of());
    assertThat(c.db().pgbouncerConsoles()).containsExactly(
        "postgresql://postgres:pw@pgbouncer-rw:6432/pgbouncer", "postgresql://postgres:pw@pgbouncer-ro:6432/pgbouncer");

    ConfigException second = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of("SAGAZ_DB_PGBOUNCER_ADMIN_URL",
        "postgresql://postgres@pgbouncer-rw:6432/pgbouncer,postgresql://postgres:secret@pgbouncer-ro:6432/sagaz")).load(null, Map.of()));
    assertThat(second.key()).isEqualTo("db.pgbouncerAdminUrl");
    assertThat(second.getMessage()).contains("pgbouncer-ro", "/pgbouncer").doesNotContain("secret");
    ConfigException empty = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of("SAGAZ_DB_PGBOUNCER_ADMIN_URL",
        "postgresql://postgres@pgbouncer-rw:6432/pgbouncer,")).load(null, Map.of()));
    assertThat(empty.getMessage()).contains("empty entry");
    ConfigException twice = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of("SAGAZ_DB_PGBOUNCER_ADMIN_URL",
        "postgresql://postgres@pgbouncer-rw:6432/pgbouncer, postgresql://postgres@pgbouncer-rw:6432/pgbouncer")).load(null, Map.of()));
    assertThat(twice.getMessage()).contains("given twice");
  }

  @Test
  void aNonBooleanIsRefusedNamingTheKey() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> new ConfigLoader(Map.of("SAGAZ_DB_PGBOUNCER", "maybe")).load(null, Map.of()));
    assertThat(e.key()).isEqualTo("db.pgbouncer");
  }
}
