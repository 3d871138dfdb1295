package io.sagaz.fleet.client;

import io.vertx.core.json.JsonObject;

/**
 * Reads a request's body on the event bus. Consumers take {@code Message<Object>} and read the body
 * here rather than declaring {@code Message<JsonObject>}: with the latter, a sender's string or array
 * body throws a ClassCastException in the handler, Vert.x sends no reply, and the sender waits out its
 * timeout instead of getting the 400 that names what was wrong (design.md section 7).
 */
public final class MessageBodies {
  private MessageBodies() {}

  /**
   * The body as a JSON object; no body reads as an empty one.
   *
   * @throws IllegalArgumentException naming the body's kind, when it is anything else
   */
  public static JsonObject jsonObject(Object body) {
    if (body == null) {
      return new JsonObject();
    }
    if (body instanceof JsonObject json) {
      return json;
    }
    throw new IllegalArgumentException("body: must be a JSON object, was a " + body.getClass().getSimpleName());
  }
}
