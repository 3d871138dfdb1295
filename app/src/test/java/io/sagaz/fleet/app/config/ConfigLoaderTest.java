package io.sagaz.fleet.app.config;

import io.sagaz.fleet.core.config.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagaz.fleet.core.config.ConfigException;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.config.Role;
import io.sagaz.fleet.core.config.SagazConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private SagazConfig load(String yaml, Map<String, String> env, Map<String, String> cli) throws Exception {
    Path file = dir.resolve("sagaz.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(env).load(file, cli);
  }

  private static ConfigException configError(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void defaultsGiveAFullConfigWithAllRolesAndAnEmbeddedDatabase() throws Exception {
    SagazConfig c = load("", Map.of(), Map.of());
    assertThat(c.node().roles()).containsExactlyInAnyOrder(Role.values());
    assertThat(c.db().embedded()).isTrue();
    assertThat(c.admin().port()).isEqualTo(8080);
    assertThat(c.admin().token()).isEmpty();
    assertThat(c.cluster().host()).isEqualTo("127.0.0.1");
    assertThat(c.outbox().pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.node().id()).isNotBlank();
  }

  @Test
  void yamlValuesAreReadIntoTheRecords() throws Exception {
    SagazConfig c = load("""
        node:
          id: n1
          roles: [saga, admin]
        db:
          url: postgresql://u:p@db.example:6432/sagaz
          poolSize: 4
        outbox:
          relay: kafka
          ordering: per-aggregate
          claimTimeout: 2m
        kafka:
          bootstrapServers: k1:9092,k2:9092
          producer:
            linger.ms: 5
        maintenance:
          interval: 1h
        """, Map.of(), Map.of());
    assertThat(c.node().id()).isEqualTo("n1");
    assertThat(c.node().roles()).containsExactlyInAnyOrder(Role.SAGA, Role.ADMIN);
    assertThat(c.db().url()).contains("postgresql://u:p@db.example:6432/sagaz");
    assertThat(c.db().poolSize()).isEqualTo(4);
    assertThat(c.outbox().relay()).isEqualTo(OutboxConfig.Relay.KAFKA);
    assertThat(c.outbox().ordering()).isEqualTo(OutboxConfig.Ordering.PER_AGGREGATE);
    assertThat(c.outbox().claimTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.kafka().bootstrapServers()).isEqualTo("k1:9092,k2:9092");
    assertThat(c.kafka().producer()).containsEntry("linger.ms", "5");
    assertThat(c.maintenance().interval()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void envOverridesYamlAndCommandLineOverridesEnv() throws Exception {
    String yaml = """
        admin:
          port: 9000
        db:
          url: postgresql://yaml@127.0.0.1:5432/a
        """;
    Map<String, String> env = Map.of(
        "SAGAZ_ADMIN_PORT", "9100",
        "SAGAZ_DB_URL", "postgresql://env@127.0.0.1:5432/b",
        "SAGAZ_NODE_ROLES", "outbox, maintenance",
        "SAGAZ_KAFKA_BOOTSTRAP_SERVERS", "envkafka:9092",
        "SAGAZ_DB_ANALYTICS_URL", "postgresql://ro@127.0.0.1:6432/b",
        "SAGAZ_OUTBOX_RELAY", "rabbitmq",
        "SAGAZ_RABBITMQ_URI", "amqp://u:p@rabbit:5672",
        "SAGAZ_CLUSTER_NAME", "from-env");
    SagazConfig fromEnv = load(yaml, env, Map.of());
    assertThat(fromEnv.admin().port()).isEqualTo(9100);
    assertThat(fromEnv.db().url()).contains("postgresql://env@127.0.0.1:5432/b");
    assertThat(fromEnv.db().analyticsUrl()).contains("postgresql://ro@127.0.0.1:6432/b");
    assertThat(fromEnv.node().roles()).containsExactlyInAnyOrder(Role.OUTBOX, Role.MAINTENANCE);
    assertThat(fromEnv.kafka().bootstrapServers()).isEqualTo("envkafka:9092");
    assertThat(fromEnv.outbox().relay()).isEqualTo(OutboxConfig.Relay.RABBITMQ);
    assertThat(fromEnv.rabbitmq().uri()).isEqualTo("amqp://u:p@rabbit:5672");
    assertThat(fromEnv.cluster().name()).isEqualTo("from-env");

    SagazConfig fromCli = load(yaml, env, Map.of("admin.port", "9200", "node.roles", "admin"));
    assertThat(fromCli.admin().port()).isEqualTo(9200);
    assertThat(fromCli.node().roles()).containsExactly(Role.ADMIN);
  }

  @Test
  void envNamesAreDerivedFromTheKeyPaths() {
    assertThat(ConfigKeys.find("kafka.bootstrapServers").orElseThrow().envName()).isEqualTo("SAGAZ_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(ConfigKeys.find("db.analyticsUrl").orElseThrow().envName()).isEqualTo("SAGAZ_DB_ANALYTICS_URL");
    assertThat(ConfigKeys.find("cluster.config").orElseThrow().envName()).isEqualTo("SAGAZ_CLUSTER_CONFIG");
    assertThat(ConfigKeys.find("admin.token").orElseThrow().envName()).isEqualTo("SAGAZ_ADMIN_TOKEN");
    assertThat(ConfigKeys.ALL).extracting(ConfigKey::envName).doesNotHaveDuplicates();
  }

  @Test
  void misspeltEnvironmentVariablesAreReportedButOthersSharingThePrefixAreNot() {
    ConfigLoader loader = new ConfigLoader(Map.of(
        "SAGAZ_DB_ULR", "x", "SAGAZ_DB_URL", "postgresql://h/x", "SAGAZ_TEST_PG_URL", "y", "SAGAZ_URL", "z", "PATH", "/bin"));
    loader.load(null, Map.of());
    assertThat(loader.unknownEnvironmentVariables()).containsExactly("SAGAZ_DB_ULR");
  }

  @Test
  void theLogFormatIsTextOrJsonAndAnythingElseIsRefusedNamingTheVariable() {
    ConfigLoader json = new ConfigLoader(Map.of("SAGAZ_LOG_FORMAT", "json"));
    json.load(null, Map.of());
    assertThat(json.unknownEnvironmentVariables()).isEmpty();
    ConfigException e = configError(() -> new ConfigLoader(Map.of("SAGAZ_LOG_FORMAT", "yaml")).load(null, Map.of()));
    assertThat(e.key()).isEqualTo("SAGAZ_LOG_FORMAT");
    assertThat(e.getMessage()).contains("text or json", "'yaml'");
  }

  @Test
  void theSeedsDatabaseVariablesAreReadAndAConflictWithTheOwnNamesIsRefused() throws Exception {
    Map<String, String> seed = Map.of(
        "SAGAZ_STORAGE_URL", "postgresql://pgbouncer-rw:6432/sagaz",
        "SAGAZ_ANALYTICS_URL", "postgresql://pgbouncer-ro:6432/sagaz");
    ConfigLoader loader = new ConfigLoader(seed);
    SagazConfig c = loader.load(null, Map.of());
    assertThat(c.db().embedded()).isFalse();
    assertThat(c.db().url()).contains("postgresql://pgbouncer-rw:6432/sagaz");
    assertThat(c.db().analyticsUrl()).contains("postgresql://pgbouncer-ro:6432/sagaz");
    assertThat(loader.unknownEnvironmentVariables()).isEmpty();

    SagazConfig same = new ConfigLoader(Map.of("SAGAZ_STORAGE_URL", "postgresql://h:5432/a", "SAGAZ_DB_URL", "postgresql://h:5432/a"))
        .load(null, Map.of());
    assertThat(same.db().url()).contains("postgresql://h:5432/a");

    ConfigException conflict = configError(() -> new ConfigLoader(Map.of(
        "SAGAZ_STORAGE_URL", "postgresql://u:secret@h:5432/a", "SAGAZ_DB_URL", "postgresql://h:5432/b")).load(null, Map.of()));
    assertThat(conflict.key()).isEqualTo("db.url");
    assertThat(conflict.getMessage()).contains("SAGAZ_DB_URL", "SAGAZ_STORAGE_URL").doesNotContain("secret");
  }

  @Test
  void maintenancePacingHasDefaultsAndOutOfRangeValuesAreRefusedNamingTheKey() throws Exception {
    SagazConfig defaults = load("", Map.of(), Map.of());
    assertThat(defaults.maintenance().stepPause()).isEqualTo(Duration.ofMillis(100));
    assertThat(defaults.maintenance().analyzeCostDelay()).isEqualTo(Duration.ofMillis(2));
    assertThat(defaults.maintenance().analyzeCostLimit()).isEqualTo(50);
    assertThat(defaults.maintenance().analyzeStatisticsTarget()).isEqualTo(10);

    SagazConfig unpaced = load("maintenance:\n  stepPause: 0ms\n  analyzeCostDelay: 0ms\n", Map.of(), Map.of());
    assertThat(unpaced.maintenance().stepPause()).isZero();
    assertThat(unpaced.maintenance().analyzeCostDelay()).isZero();

    ConfigException delay = configError(() -> new ConfigLoader(Map.of("SAGAZ_MAINTENANCE_ANALYZE_COST_DELAY", "1s")).load(null, Map.of()));
    assertThat(delay.key()).isEqualTo("maintenance.analyzeCostDelay");
    assertThat(delay.getMessage()).contains("100ms");
    ConfigException limit = configError(() -> new ConfigLoader(Map.of()).load(null, Map.of("maintenance.analyzeCostLimit", "0")));
    assertThat(limit.key()).isEqualTo("maintenance.analyzeCostLimit");
    assertThat(load("", Map.of("SAGAZ_MAINTENANCE_ANALYZE_STATISTICS_TARGET", "0"), Map.of()).maintenance().analyzeStatisticsTarget())
        .as("0: the server's own").isZero();
    ConfigException target = configError(() -> new ConfigLoader(Map.of()).load(null, Map.of("maintenance.analyzeStatisticsTarget", "-1")));
    assertThat(target.key()).isEqualTo("maintenance.analyzeStatisticsTarget");
  }

  @Test
  void moreOutboxPollersThanPooledConnectionsAreRefusedOnOutboxNodesOnly() throws Exception {
    ConfigException e = configError(() -> new ConfigLoader(Map.of("SAGAZ_OUTBOX_POLLERS", "8")).load(null, Map.of()));
    assertThat(e.key()).isEqualTo("outbox.pollers");
    assertThat(e.getMessage()).contains("less than db.poolSize (8), was 8").contains("SAGAZ_OUTBOX_POLLERS");
    assertThat(load("db:\n  poolSize: 9\noutbox:\n  pollers: 8\n", Map.of(), Map.of()).outbox().pollers()).isEqualTo(8);
    assertThat(load("node:\n  roles: [saga]\noutbox:\n  pollers: 8\n", Map.of(), Map.of()).outbox().pollers())
        .as("a node without the outbox role runs no pollers").isEqualTo(8);
  }

  @Test
  void unknownRoleIsRefusedNamingTheKeyAndItsSource() {
    ConfigException e = configError(() -> new ConfigLoader(Map.of("SAGAZ_NODE_ROLES", "saga,bogus")).load(null, Map.of()));
    assertThat(e.key()).isEqualTo("node.roles");
    assertThat(e.getMessage()).contains("bogus").contains("SAGAZ_NODE_ROLES");
  }

  @Test
  void malformedDatabaseUrlIsRefused() {
    ConfigException e = configError(() -> new ConfigLoader(Map.of("SAGAZ_DB_URL", "postgresql://bad host:5432/x")).load(null, Map.of()));
    assertThat(e.key()).isEqualTo("db.url");
    ConfigException scheme = configError(() -> new ConfigLoader(Map.of("SAGAZ_DB_URL", "mysql://h/x")).load(null, Map.of()));
    assertThat(scheme.key()).isEqualTo("db.url");
    assertThat(scheme.getMessage()).contains("postgresql://");
  }

  @Test
  void portOutOfRangeIsRefused() {
    ConfigException e = configError(() -> new ConfigLoader(Map.of()).load(null, Map.of("admin.port", "70000")));
    assertThat(e.key()).isEqualTo("admin.port");
    assertThat(e.getMessage()).contains("70000").contains("command line");
    ConfigException nan = configError(() -> new ConfigLoader(Map.of("SAGAZ_ADMIN_PORT", "eighty")).load(null, Map.of()));
    assertThat(nan.key()).isEqualTo("admin.port");
  }

  @Test
  void unreadableFileIsRefusedNamingTheFile() {
    Path missing = dir.resolve("nope.yaml");
    ConfigException e = configError(() -> new ConfigLoader(Map.of()).load(missing, Map.of()));
    assertThat(e.getMessage()).contains(missing.toString());
    ConfigException isDir = configError(() -> new ConfigLoader(Map.of()).load(dir, Map.of()));
    assertThat(isDir.getMessage()).contains(dir.toString());
  }

  @Test
  void unknownKeyIsRefusedWithTheValidKeysOfItsSection() {
    ConfigException e = configError(() -> {
      try {
        load("db:\n  urll: postgresql://h/x\n", Map.of(), Map.of());
      } catch (Exception ex) {
        throw ex instanceof RuntimeException r ? r : new RuntimeException(ex);
      }
    });
    assertThat(e.key()).isEqualTo("db.urll");
    assertThat(e.getMessage()).contains("unknown key").contains("url");
    ConfigException section = configError(() -> {
      try {
        load("dbs:\n  url: x\n", Map.of(), Map.of());
      } catch (Exception ex) {
        throw ex instanceof RuntimeException r ? r : new RuntimeException(ex);
      }
    });
    assertThat(section.key()).isEqualTo("dbs");
  }

  @Test
  void badDurationAndInvalidYamlAreRefused() throws Exception {
    Path file = dir.resolve("d.yaml");
    Files.writeString(file, "outbox:\n  pollInterval: soon\n");
    ConfigException d = configError(() -> new ConfigLoader(Map.of()).load(file, Map.of()));
    assertThat(d.key()).isEqualTo("outbox.pollInterval");
    assertThat(d.getMessage()).contains("500ms");

    Files.writeString(file, "db: [unclosed\n");
    ConfigException y = configError(() -> new ConfigLoader(Map.of()).load(file, Map.of()));
    assertThat(y.getMessage()).contains("not valid YAML");
  }

  @Test
  void missingHazelcastConfigFileIsRefused() {
    ConfigException e = configError(() -> new ConfigLoader(Map.of("SAGAZ_CLUSTER_CONFIG", dir.resolve("hz.xml").toString())).load(null, Map.of()));
    assertThat(e.key()).isEqualTo("cluster.config");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Durations.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("k", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("k", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("k", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("k", "PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> Durations.parse("k", "10")).isInstanceOf(ConfigException.class).hasMessageStartingWith("k:");
  }

  @Test
  void shippedConfigFileIsValid() {
    Path shipped = Path.of(System.getenv().getOrDefault("SAGAZ_TEST_PROJECT_ROOT", ".."), "conf", "sagaz.yaml");
    SagazConfig c = new ConfigLoader(Map.of()).load(shipped, Map.of());
    assertThat(c.admin().port()).isEqualTo(8080);
    assertThat(c.node().roles()).hasSize(4);
  }
}
