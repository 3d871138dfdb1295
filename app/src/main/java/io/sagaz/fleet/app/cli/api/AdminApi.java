package io.sagaz.fleet.app.cli.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A small client of one node's admin API ({@code /api/v1}) for the CLI commands; non-2xx answers
 * become {@link Failure}s.
 */
public final class AdminApi {
  /** The API refused or the node could not be reached; the message is what a person needs to read. */
  public static final class Failure extends Exception {
    Failure(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  // Maintenance DDL may wait for locks and retry on the leader: allow it more than a plain read.
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder()
      // HTTP/1.1, as the admin server speaks (AdminVerticle): no h2c upgrade attempt
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  public AdminApi(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  public JsonObject get(String path, Map<String, String> query) throws Failure {
    return send("GET", path, query, null);
  }

  public JsonObject post(String path, JsonObject body) throws Failure {
    return send("POST", path, Map.of(), body);
  }

  public JsonObject delete(String path, Map<String, String> query) throws Failure {
    return send("DELETE", path, query, null);
  }

  /**
   * GET of an open path outside {@code /api/v1} (such as {@code /health/ready}, which answers 503 with
   * a JSON body when the node is not ready): the status and the body, whatever the status.
   */
  public Reply probe(String path) throws Failure {
    HttpResponse<String> resp = exchange("GET", URI.create(base + path), null);
    return new Reply(resp.statusCode(), json("GET", path, resp));
  }

  /** A status code and its JSON body (empty when the body was empty). */
  public record Reply(int status, JsonObject body) {}

  private JsonObject send(String method, String path, Map<String, String> query, JsonObject body) throws Failure {
    String qs = query.isEmpty() ? "" : "?" + query.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> resp = exchange(method, URI.create(base + "/api/v1" + path + qs), body);
    if (resp.statusCode() / 100 != 2) {
      throw new Failure(method + " " + path + ": HTTP " + resp.statusCode() + " " + problem(resp), null);
    }
    return json(method, path, resp);
  }

  private HttpResponse<String> exchange(String method, URI target, JsonObject body) throws Failure {
    HttpRequest.Builder req = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    if (token != null && !token.isBlank()) {
      req.header("Authorization", "Bearer " + token);
    }
    try {
      // The request timeout only covers the response headers; the deadline also covers the body, so
      // a node that stops answering mid-response can never hang the command.
      return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString())
          .get(REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Failure(method + " " + target + ": no complete answer within " + REQUEST_TIMEOUT.multipliedBy(2).toSeconds() + " s", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConnectException) {
        throw new Failure("no node answers at " + base + " (is it running? set --url or SAGAZ_URL)", cause);
      }
      throw new Failure(method + " " + target + " failed: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(method + " " + target + " was interrupted", e);
    }
  }

  private static JsonObject json(String method, String path, HttpResponse<String> resp) throws Failure {
    try {
      return resp.body().isBlank() ? new JsonObject() : new JsonObject(resp.body());
    } catch (DecodeException e) {
      throw new Failure(method + " " + path + " answered with something that is not a JSON object: " + resp.body().strip(), e);
    }
  }

  /** The problem body's title and detail, else the raw body; with a hint for the codes people hit. */
  private static String problem(HttpResponse<String> resp) {
    String text;
    try {
      JsonObject p = new JsonObject(resp.body());
      String title = p.getString("title", "");
      String detail = p.getString("detail", "");
      text = detail.isBlank() ? title : title.isBlank() ? detail : title + ": " + detail;
    } catch (DecodeException | ClassCastException e) {
      text = resp.body().strip();
    }
    return switch (resp.statusCode()) {
      case 401 -> text + " (give the admin token with --token or SAGAZ_ADMIN_TOKEN)";
      case 423 -> text + " (no maintenance leader right now; retry in a few seconds)";
      default -> text;
    };
  }
}
