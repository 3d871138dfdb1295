package io.sagaz.fleet.admin;

import static io.sagaz.fleet.admin.AdminTestSupport.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagaz.fleet.admin.api.Forward;
import io.sagaz.fleet.admin.api.ForwardedOperations;
import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.node.NodeInfo;
import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin API over a real PostgreSQL and a real (non-clustered) Vert.x with Micrometer metrics, as
 * the app runs it. Event-bus consumers registered by the tests stand in for the other modules.
 * Readiness with a joined cluster is in {@link AdminReadinessClusteredTest}.
 */
@ExtendWith(VertxExtension.class)
class AdminApiTest {
  private static final AdminTimeouts TIMEOUTS =
      new AdminTimeouts(Duration.ofMillis(700), Duration.ofMillis(700), Duration.ofMillis(300));
  private static final NodeInfo SELF = AdminTestSupport.node("node-a", "cluster-a", List.of("admin", "saga"));
  private static final NodeInfo OTHER = AdminTestSupport.node("node-b", "cluster-b", List.of("outbox", "maintenance"));

  private static Vertx vertx;
  private static PrometheusMeterRegistry registry;
  private static WebClient client;
  private static int port;

  @BeforeAll
  static void startNode() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    client = WebClient.create(vertx);
    String url = PostgresFixture.shared().createMigratedDatabase().url();
    port = deploy(AdminTestSupport.services(vertx, url, registry,
        AdminTestSupport.view(SELF, () -> List.of(SELF, OTHER))));
  }

  @AfterAll
  static void stopNode() {
    vertx.close().await();
  }

  private static int deploy(NodeServices services) {
    AdminModule module = new AdminModule(TIMEOUTS);
    module.deploy(vertx, services).await();
    assertThat(module.url()).isEqualTo("http://127.0.0.1:" + module.port());
    return module.port();
  }

  // --- open endpoints -------------------------------------------------------------------------

  @Test
  void liveAnswers200WhileTheProcessRuns(VertxTestContext tc) {
    expect(tc, open(HttpMethod.GET, "/health/live").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    });
  }

  @Test
  void openApiDocumentIsServedWithoutAToken(VertxTestContext tc) {
    expect(tc, open(HttpMethod.GET, "/api/v1/openapi.yaml").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.getHeader("Content-Type")).startsWith("application/yaml");
      assertThat(r.bodyAsString()).contains("openapi: 3.1.0", "retrySagaCompensation", "saga_audit_log");
    });
  }

  @Test
  void consoleIsServedWithoutATokenAndTheRootLeadsToIt(VertxTestContext tc) {
    Future<HttpResponse<Buffer>> root = open(HttpMethod.GET, "/").followRedirects(false).send();
    Future<HttpResponse<Buffer>> page = open(HttpMethod.GET, "/console/").send();
    // the page's ES modules: a browser refuses one served with another content type
    List<Future<HttpResponse<Buffer>>> modules = Stream.of("console", "api", "cluster", "outbox", "sagas", "partitions")
        .map(m -> open(HttpMethod.GET, "/console/" + m + ".js").send()).toList();
    Future.all(root, page, Future.all(modules)).onComplete(tc.succeeding(all -> tc.verify(() -> {
      assertThat(root.result().statusCode()).isEqualTo(302);
      assertThat(root.result().getHeader("Location")).isEqualTo("/console/");
      assertThat(page.result().statusCode()).isEqualTo(200);
      assertThat(page.result().bodyAsString()).contains("<title>Sagaz Fleet console</title>", "<script type=\"module\" src=\"console.js\">");
      for (Future<HttpResponse<Buffer>> m : modules) {
        assertThat(m.result().statusCode()).isEqualTo(200);
        assertThat(m.result().getHeader("Content-Type")).contains("javascript");
      }
      assertThat(modules.get(1).result().bodyAsString()).contains("\"Authorization\": \"Bearer \"");
      tc.completeNow();
    })));
  }

  @Test
  void metricsIsPrometheusTextWithTheModulesMetersAndVertxMeters(VertxTestContext tc) {
    Counter.builder("sagaz.test.probe").description("registered by the test").register(registry).increment(3);
    expect(tc, open(HttpMethod.GET, "/metrics").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.getHeader("Content-Type")).startsWith("text/plain");
      assertThat(r.bodyAsString())
          .contains("# TYPE sagaz_test_probe_total counter", "sagaz_test_probe_total 3.0")
          .contains("vertx_pool_in_use{pool_name=\"sagaz-admin-test\",pool_type=\"sql\"}");
    });
  }

  /**
   * Clients that prefer HTTP/2 (the JDK's HttpClient by default) ask to upgrade the cleartext
   * connection (h2c). The admin server answers in HTTP/1.1, whole bodies included: through the
   * upgraded connection a large /metrics body stalled twice in CI (the node's event loop free, the
   * answer never complete), so the admin API speaks HTTP/1.1 only.
   */
  @Test
  void clientsAskingForAnH2cUpgradeGetWholeHttp11Answers() throws Exception {
    HttpClient jdk = HttpClient.newHttpClient();
    for (int i = 0; i < 20; i++) {
      // the JDK's request type, spelled out: HttpRequest here is Vert.x's
      var response = jdk.sendAsync(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(response.body()).contains("# TYPE", "vertx_pool_in_use");
    }
  }

  @Test
  void readyIs503NamingTheClusterCheckWhenVertxIsNotClustered(VertxTestContext tc) {
    expect(tc, open(HttpMethod.GET, "/health/ready").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      JsonObject checks = checksById(r.bodyAsJsonObject());
      assertThat(checks.getJsonObject("database").getString("status")).isEqualTo("UP");
      assertThat(checks.getJsonObject("migrations").getString("status")).isEqualTo("UP");
      assertThat(checks.getJsonObject("cluster").getString("status")).isEqualTo("DOWN");
      assertThat(checks.getJsonObject("cluster").getJsonObject("data").getString("reason")).contains("not clustered");
    });
  }

  @Test
  void readyIs503NamingTheDatabaseWhenItIsUnreachable(VertxTestContext tc) throws Exception {
    int other = deploy(AdminTestSupport.services(vertx, AdminTestSupport.unreachableDbUrl(), registry,
        AdminTestSupport.view(SELF, () -> List.of(SELF))));
    expect(tc, client.request(HttpMethod.GET, other, "127.0.0.1", "/health/ready").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      JsonObject database = checksById(r.bodyAsJsonObject()).getJsonObject("database");
      assertThat(database.getString("status")).isEqualTo("DOWN");
      assertThat(database.getJsonObject("data").getString("reason")).containsIgnoringCase("connection refused");
    });
  }

  @Test
  void readyIs503NamingMigrationsOnADatabaseFlywayNeverRan(VertxTestContext tc) {
    String empty = PostgresFixture.shared().createDatabase().url();
    int other = deploy(AdminTestSupport.services(vertx, empty, registry, AdminTestSupport.view(SELF, () -> List.of(SELF))));
    expect(tc, client.request(HttpMethod.GET, other, "127.0.0.1", "/health/ready").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      JsonObject checks = checksById(r.bodyAsJsonObject());
      assertThat(checks.getJsonObject("database").getString("status")).isEqualTo("UP");
      assertThat(checks.getJsonObject("migrations").getString("status")).isEqualTo("DOWN");
      assertThat(checks.getJsonObject("migrations").getJsonObject("data").getString("reason"))
          .contains("flyway_schema_history does not exist");
    });
  }

  // --- authentication ---------------------------------------------------------------------------

  @Test
  void apiWithoutATokenIs401ProblemWithABearerChallenge(VertxTestContext tc) {
    expect(tc, open(HttpMethod.GET, "/api/v1/cluster").send(), r -> {
      assertProblem(r, 401, "urn:sagaz:problem:unauthorized", "missing Authorization header");
      assertThat(r.getHeader("WWW-Authenticate")).startsWith("Bearer");
    });
  }

  @Test
  void apiWithAWrongTokenIs401EvenOnAPathThatDoesNotExist(VertxTestContext tc) {
    HttpRequest<Buffer> wrong = open(HttpMethod.GET, "/api/v1/no-such-thing").putHeader("Authorization", "Bearer " + TOKEN + "x");
    expect(tc, wrong.send(), r -> {
      assertProblem(r, 401, "urn:sagaz:problem:unauthorized", "not this node's admin token");
      assertThat(r.getHeader("WWW-Authenticate")).startsWith("Bearer");
    });
  }

  @Test
  void apiWithAnotherSchemeIs401(VertxTestContext tc) {
    expect(tc, open(HttpMethod.GET, "/api/v1/cluster").putHeader("Authorization", "Basic " + TOKEN).send(),
        r -> assertProblem(r, 401, "urn:sagaz:problem:unauthorized", "Bearer scheme"));
  }

  @Test
  void unknownApiPathWithTheTokenIs404Problem(VertxTestContext tc) {
    expect(tc, api(HttpMethod.GET, "/api/v1/no-such-thing").send(),
        r -> assertProblem(r, 404, "urn:sagaz:problem:not-found", "/api/v1/no-such-thing"));
  }

  // --- local operations -------------------------------------------------------------------------

  @Test
  void clusterListsSelfAndMembersWithRolesAndNoLeaderWhenNobodyAnswers(VertxTestContext tc) {
    expect(tc, api(HttpMethod.GET, "/api/v1/cluster").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject body = r.bodyAsJsonObject();
      assertThat(body.getJsonObject("self").getString("nodeId")).isEqualTo("node-a");
      assertThat(body.getJsonArray("members")).hasSize(2);
      assertThat(body.getJsonArray("members").getJsonObject(1).getJsonArray("roles"))
          .containsExactly("outbox", "maintenance");
      assertThat(body.containsKey("maintenanceLeader")).isTrue();
      assertThat(body.getValue("maintenanceLeader")).isNull();
    });
  }

  @Test
  void clusterShowsTheMaintenanceLeaderAndEpochWhenOneAnswers(VertxTestContext tc) {
    JsonObject leader = new JsonObject().put("version", 1).put("leader", "node-b").put("epoch", 7).put("since", "2026-01-01T00:00:00Z");
    withConsumer(tc, Addresses.MAINTENANCE_LEADER, m -> m.reply(leader), () -> api(HttpMethod.GET, "/api/v1/cluster").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject shown = r.bodyAsJsonObject().getJsonObject("maintenanceLeader");
      assertThat(shown.getString("leader")).isEqualTo("node-b");
      assertThat(shown.getLong("epoch")).isEqualTo(7);
    });
  }

  @Test
  void poolReportsConfiguredSizeServerSessionsAndClientPoolMetrics(VertxTestContext tc) {
    expect(tc, api(HttpMethod.GET, "/api/v1/pool").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject body = r.bodyAsJsonObject();
      assertThat(body.getInteger("configuredSize")).isEqualTo(AdminTestSupport.POOL_SIZE);
      assertThat(body.getJsonObject("sessions").getString("applicationName")).isEqualTo("sagaz-admin-test");
      // the query itself runs on one of the pool's connections
      assertThat(body.getJsonObject("sessions").getInteger("total")).isBetween(1, AdminTestSupport.POOL_SIZE * 3);
      assertThat(body.getJsonArray("pools").getJsonObject(0).getString("name")).isEqualTo("sagaz-admin-test");
      assertThat(body.getJsonArray("pools").getJsonObject(0).getLong("inUse")).isGreaterThanOrEqualTo(0L);
      assertThat(body.getJsonObject("pgbouncer").getBoolean("configured")).isFalse();
    });
  }

  @Test
  void replicationIsAnEmptyListOnAPrimaryWithoutStandbys(VertxTestContext tc) {
    expect(tc, api(HttpMethod.GET, "/api/v1/replication").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getBoolean("primary")).isTrue();
      assertThat(r.bodyAsJsonObject().getJsonArray("replicas")).isEmpty();
    });
  }

  // --- validation -------------------------------------------------------------------------------

  @Test
  void limitOutOfBoundsIs400NamingTheParameter(VertxTestContext tc) {
    expect(tc, api(HttpMethod.GET, "/api/v1/sagas?limit=0").send(),
        r -> assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "query parameter limit"));
  }

  @Test
  void unknownStatusIs400NamingTheParameter(VertxTestContext tc) {
    expect(tc, api(HttpMethod.GET, "/api/v1/sagas?status=DONE").send(),
        r -> assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "query parameter status"));
  }

  @Test
  void sagaIdThatIsNotAUuidIs400(VertxTestContext tc) {
    expect(tc, api(HttpMethod.GET, "/api/v1/sagas/not-a-uuid").send(),
        r -> assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "path parameter saga"));
  }

  @Test
  void unknownTableInTheBodyIs400NamingTheField(VertxTestContext tc) {
    JsonObject body = new JsonObject().put("table", "pg_class").put("from", "2026-01-01").put("to", "2026-02-01");
    expect(tc, api(HttpMethod.POST, "/api/v1/partitions").sendJsonObject(body),
        r -> assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "table: Instance does not match any of"));
  }

  @Test
  void missingRequiredBodyFieldIs400NamingIt(VertxTestContext tc) {
    JsonObject body = new JsonObject().put("table", "saga_outbox").put("from", "2026-01-01");
    expect(tc, api(HttpMethod.POST, "/api/v1/partitions").sendJsonObject(body),
        r -> assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "required property \"to\""));
  }

  @Test
  void malformedDateInTheQueryIs400NamingTheParameter(VertxTestContext tc) {
    expect(tc, api(HttpMethod.DELETE, "/api/v1/partitions?table=saga_outbox&olderThan=2026-13-01").send(),
        r -> assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "query parameter olderThan"));
  }

  @Test
  void olderThanTakesADateOrAnAgeAndNothingElse(VertxTestContext tc) {
    List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.PARTITIONS_DROP, m -> {
      sent.add(((JsonObject) m.body()).getString("olderThan"));
      m.reply(new JsonObject().put("actions", new JsonArray()));
    });
    Future<HttpResponse<Buffer>> date = consumer.completion()
        .compose(v -> api(HttpMethod.DELETE, "/api/v1/partitions?table=saga_outbox&olderThan=2026-01-31").send());
    Future<HttpResponse<Buffer>> age = date.compose(v -> api(HttpMethod.DELETE, "/api/v1/partitions?olderThan=12m").send());
    Future<HttpResponse<Buffer>> bad = age.compose(v -> api(HttpMethod.DELETE, "/api/v1/partitions?olderThan=12parsecs").send());
    bad.eventually(consumer::unregister).onComplete(tc.succeeding(r -> tc.verify(() -> {
      assertThat(date.result().statusCode()).isEqualTo(200);
      assertThat(age.result().statusCode()).isEqualTo(200);
      assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "query parameter olderThan");
      assertThat(sent).containsExactly("2026-01-31", "12m");
      tc.completeNow();
    })));
  }

  @Test
  void replayTakesIdsOrAFilterButNotBoth(VertxTestContext tc) {
    JsonObject both = new JsonObject()
        .put("ids", new JsonArray().add("0190f0f0-0000-7000-8000-000000000003"))
        .put("filter", new JsonObject().put("topic", "orders"));
    expect(tc, api(HttpMethod.POST, "/api/v1/outbox/dead-letters/replay").sendJsonObject(both),
        r -> assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "request body"));
  }

  @Test
  void unknownBodyFieldIs400NamingIt(VertxTestContext tc) {
    JsonObject body = new JsonObject().put("input", new JsonObject()).put("idempotencyKy", "typo");
    expect(tc, api(HttpMethod.POST, "/api/v1/sagas/order").sendJsonObject(body),
        r -> assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "idempotencyKy: unknown field"));
  }

  @Test
  void bodyThatIsNotJsonIs400(VertxTestContext tc) {
    expect(tc, api(HttpMethod.POST, "/api/v1/sagas/order").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{nope")),
        r -> assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "body can't be decoded"));
  }

  @Test
  void bodyOverTheLimitIs413(VertxTestContext tc) {
    JsonObject huge = new JsonObject().put("input", new JsonObject().put("blob", "x".repeat(300 * 1024)));
    expect(tc, api(HttpMethod.POST, "/api/v1/sagas/order").sendJsonObject(huge),
        r -> assertProblem(r, 413, "urn:sagaz:problem:payload-too-large", "larger than the limit of 262144 bytes"));
  }

  @Test
  void invalidRequestNeverReachesTheEventBus(VertxTestContext tc) {
    AtomicReference<Object> seen = new AtomicReference<>();
    JsonObject body = new JsonObject().put("table", "saga_outbox").put("from", "yesterday").put("to", "2026-02-01");
    withConsumer(tc, Addresses.PARTITIONS_CREATE, m -> seen.set(m.body()), () -> api(HttpMethod.POST, "/api/v1/partitions").sendJsonObject(body), r -> {
      assertProblem(r, 400, "urn:sagaz:problem:invalid-request", "from: String does not match");
      assertThat(seen.get()).isNull();
    });
  }

  // --- forwarding -------------------------------------------------------------------------------

  @Test
  void startSagaForwardsNameInputAndKeyAndAnswers202WithTheReply(VertxTestContext tc) {
    AtomicReference<JsonObject> sent = new AtomicReference<>();
    JsonObject request = new JsonObject().put("input", new JsonObject().put("orderId", 42)).put("idempotencyKey", "k-1");
    withConsumer(tc, Addresses.SAGA_START, m -> {
      sent.set((JsonObject) m.body());
      m.reply(new JsonObject().put("version", 1).put("sagaId", "0190f0f0-0000-7000-8000-000000000001").put("status", "PENDING"));
    }, () -> api(HttpMethod.POST, "/api/v1/sagas/order-saga").sendJsonObject(request), r -> {
      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.bodyAsJsonObject().getString("sagaId")).isEqualTo("0190f0f0-0000-7000-8000-000000000001");
      assertThat(sent.get()).isEqualTo(new JsonObject()
          .put("input", new JsonObject().put("orderId", 42)).put("idempotencyKey", "k-1")
          .put("saga", "order-saga").put("version", 1));
    });
  }

  @Test
  void listSagasForwardsTypedQueryParameters(VertxTestContext tc) {
    AtomicReference<JsonObject> sent = new AtomicReference<>();
    withConsumer(tc, Addresses.SAGA_LIST, m -> {
      sent.set((JsonObject) m.body());
      m.reply(new JsonObject().put("sagas", new JsonArray()));
    }, () -> api(HttpMethod.GET, "/api/v1/sagas?status=FAILED&name=order&limit=5").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getJsonArray("sagas")).isEmpty();
      assertThat(sent.get().getValue("limit")).isEqualTo(5);
      assertThat(sent.get().getString("status")).isEqualTo("FAILED");
      assertThat(sent.get().getString("name")).isEqualTo("order");
      assertThat(sent.get().getInteger("version")).isEqualTo(1);
    });
  }

  @Test
  void retryCompensationSendsTheSagaIdFromThePath(VertxTestContext tc) {
    String id = "0190f0f0-0000-7000-8000-0000000000aa";
    AtomicReference<JsonObject> sent = new AtomicReference<>();
    withConsumer(tc, Addresses.SAGA_RETRY_COMPENSATION, m -> {
      sent.set((JsonObject) m.body());
      m.reply(new JsonObject().put("sagaId", id).put("status", "COMPENSATING"));
    }, () -> api(HttpMethod.POST, "/api/v1/sagas/" + id + "/retry-compensation").send(), r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(sent.get()).isEqualTo(new JsonObject().put("sagaId", id).put("version", 1));
    });
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 409, 423, 500, 503})
  void failureCodeOfTheReplyIsTheHttpStatus(int code, VertxTestContext tc) {
    String id = "0190f0f0-0000-7000-8000-000000000002";
    withConsumer(tc, Addresses.SAGA_CANCEL, m -> m.fail(code, "saga " + id + " said " + code),
        () -> api(HttpMethod.POST, "/api/v1/sagas/" + id + "/cancel").send(),
        r -> assertProblem(r, code, null, "saga " + id + " said " + code));
  }

  @Test
  void failureCodeOutsideTheTableIs500NamingIt(VertxTestContext tc) {
    withConsumer(tc, Addresses.OUTBOX_STATS, m -> m.fail(418, "teapot"), () -> api(HttpMethod.GET, "/api/v1/outbox/stats").send(),
        r -> assertProblem(r, 500, "urn:sagaz:problem:internal", "unknown code 418"));
  }

  @Test
  void noReplyInTimeIs504NamingTheAddress(VertxTestContext tc) {
    withConsumer(tc, Addresses.OUTBOX_STATS, m -> { }, () -> api(HttpMethod.GET, "/api/v1/outbox/stats").send(),
        r -> assertProblem(r, 504, "urn:sagaz:problem:timeout", Addresses.OUTBOX_STATS));
  }

  @Test
  void noConsumerIs503NamingTheAddress(VertxTestContext tc) {
    expect(tc, api(HttpMethod.GET, "/api/v1/outbox/dead-letters?limit=10").send(),
        r -> assertProblem(r, 503, "urn:sagaz:problem:unavailable", Addresses.OUTBOX_DEAD_LETTERS));
  }

  @Test
  void noConsumerOnALeaderOnlyAddressIs423(VertxTestContext tc) {
    expect(tc, api(HttpMethod.POST, "/api/v1/partitions/maintain").send(),
        r -> assertProblem(r, 423, "urn:sagaz:problem:not-leader", Addresses.MAINTENANCE_RUN));
  }

  /** One valid request per forwarded operation; a new line in ForwardedOperations needs one here. */
  private static final Map<String, Function<String, Future<HttpResponse<Buffer>>>> SAMPLES = Map.ofEntries(
      Map.entry("startSaga", id -> api(HttpMethod.POST, "/api/v1/sagas/order").sendJsonObject(new JsonObject().put("input", new JsonObject()))),
      Map.entry("listSagas", id -> api(HttpMethod.GET, "/api/v1/sagas").send()),
      Map.entry("getSaga", id -> api(HttpMethod.GET, "/api/v1/sagas/" + id).send()),
      Map.entry("cancelSaga", id -> api(HttpMethod.POST, "/api/v1/sagas/" + id + "/cancel").send()),
      Map.entry("retrySagaCompensation", id -> api(HttpMethod.POST, "/api/v1/sagas/" + id + "/retry-compensation").send()),
      Map.entry("listSagaDefinitions", id -> api(HttpMethod.GET, "/api/v1/saga-definitions").send()),
      Map.entry("getSagaDefinition", id -> api(HttpMethod.GET, "/api/v1/saga-definitions/order").send()),
      Map.entry("getOutboxStats", id -> api(HttpMethod.GET, "/api/v1/outbox/stats").send()),
      Map.entry("listDeadLetters", id -> api(HttpMethod.GET, "/api/v1/outbox/dead-letters").send()),
      Map.entry("replayDeadLetters", id -> api(HttpMethod.POST, "/api/v1/outbox/dead-letters/replay")
          .sendJsonObject(new JsonObject().put("ids", new JsonArray().add(id)))),
      Map.entry("listPartitions", id -> api(HttpMethod.GET, "/api/v1/partitions").send()),
      Map.entry("createPartitions", id -> api(HttpMethod.POST, "/api/v1/partitions")
          .sendJsonObject(new JsonObject().put("table", "saga_audit_log").put("from", "2026-01-01").put("to", "2026-03-01"))),
      Map.entry("dropPartitions", id -> api(HttpMethod.DELETE, "/api/v1/partitions?table=saga_outbox&olderThan=2026-01-01").send()),
      Map.entry("maintainPartitions", id -> api(HttpMethod.POST, "/api/v1/partitions/maintain").send()));

  @Test
  void everyForwardedOperationReachesItsAddressWithItsSuccessStatus(VertxTestContext tc) {
    assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(
        ForwardedOperations.ALL.stream().map(Forward::operationId).toList());
    String id = "0190f0f0-0000-7000-8000-0000000000bb";
    List<MessageConsumer<Object>> consumers = ForwardedOperations.ALL.stream().map(Forward::address).distinct()
        .map(address -> vertx.eventBus().consumer(address,
            m -> m.reply(new JsonObject().put("servedBy", address).put("got", m.body()))))
        .toList();
    Future<Void> all = Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
    for (Forward f : ForwardedOperations.ALL) {
      all = all.compose(v -> SAMPLES.get(f.operationId()).apply(id)).map(r -> {
        assertThat(r.statusCode()).as(f.operationId() + ": " + r.bodyAsString()).isEqualTo(f.successStatus());
        assertThat(r.bodyAsJsonObject().getString("servedBy")).as(f.operationId()).isEqualTo(f.address());
        assertThat(r.bodyAsJsonObject().getJsonObject("got").getInteger("version")).isEqualTo(1);
        return null;
      });
    }
    all.eventually(() -> Future.all(consumers.stream().map(MessageConsumer::unregister).toList()))
        .onComplete(tc.succeedingThenComplete());
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static HttpRequest<Buffer> open(HttpMethod method, String path) {
    return client.request(method, port, "127.0.0.1", path);
  }

  private static HttpRequest<Buffer> api(HttpMethod method, String path) {
    return open(method, path).putHeader("Authorization", "Bearer " + TOKEN);
  }

  private static void expect(VertxTestContext tc, Future<HttpResponse<Buffer>> response, Consumer<HttpResponse<Buffer>> check) {
    response.onComplete(tc.succeeding(r -> tc.verify(() -> {
      check.accept(r);
      tc.completeNow();
    })));
  }

  /** Serves {@code address} while the request runs, unregisters, then checks the response. */
  private static void withConsumer(VertxTestContext tc, String address, Handler<Message<Object>> handler,
      Supplier<Future<HttpResponse<Buffer>>> request, Consumer<HttpResponse<Buffer>> check) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, handler);
    expect(tc, consumer.completion().compose(v -> request.get()).eventually(consumer::unregister), check);
  }

  private static void assertProblem(HttpResponse<Buffer> r, int status, String type, String detailContains) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("instance")).startsWith("/");
    if (type != null) {
      assertThat(problem.getString("type")).isEqualTo(type);
    }
    assertThat(problem.getString("detail")).contains(detailContains);
  }

  private static JsonObject checksById(JsonObject health) {
    JsonObject byId = new JsonObject();
    health.getJsonArray("checks").forEach(c -> byId.put(((JsonObject) c).getString("id"), c));
    return byId;
  }
}
