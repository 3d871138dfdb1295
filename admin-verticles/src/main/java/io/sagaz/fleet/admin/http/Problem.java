package io.sagaz.fleet.admin.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem body: what every error of the admin API looks like.
 *
 * @param type     a URI naming the kind of problem ({@code urn:sagaz:problem:<kind>} or {@code about:blank})
 * @param title    the HTTP reason phrase of {@code status}
 * @param status   the HTTP status
 * @param detail   what went wrong with this request, naming the field, address or dependency involved
 * @param instance the request path the problem occurred on
 */
public record Problem(String type, String title, int status, String detail, String instance) {
  public static final String CONTENT_TYPE = "application/problem+json";

  /** A problem whose type and title follow from the status. */
  public static Problem of(int status, String detail, String instance) {
    return new Problem(typeOf(status), HttpResponseStatus.valueOf(status).reasonPhrase(), status, detail, instance);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type).put("title", title).put("status", status);
    if (detail != null) {
      json.put("detail", detail);
    }
    if (instance != null) {
      json.put("instance", instance);
    }
    return json;
  }

  // One kind per status we produce on purpose: clients branch on the type, people read the detail.
  private static String typeOf(int status) {
    String kind = switch (status) {
      case 400 -> "invalid-request";
      case 401 -> "unauthorized";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 409 -> "conflict";
      case 413 -> "payload-too-large";
      case 415 -> "unsupported-media-type";
      case 423 -> "not-leader";
      case 500 -> "internal";
      case 503 -> "unavailable";
      case 504 -> "timeout";
      default -> null;
    };
    return kind == null ? "about:blank" : "urn:sagaz:problem:" + kind;
  }
}
