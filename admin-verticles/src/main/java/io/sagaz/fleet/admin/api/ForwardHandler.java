package io.sagaz.fleet.admin.api;

import io.sagaz.fleet.admin.http.EventBusFailures;
import io.sagaz.fleet.admin.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;
import java.time.Duration;

/** Serves one {@link Forward}: sends the validated request to its address and answers with the reply. */
public final class ForwardHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final Forward forward;
  private final DeliveryOptions delivery;

  public ForwardHandler(Vertx vertx, Forward forward, Duration timeout) {
    this.vertx = vertx;
    this.forward = forward;
    this.delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  @Override
  public void handle(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    vertx.eventBus().request(forward.address(), forward.body(request), delivery)
        .onSuccess(reply -> respond(ctx, reply))
        .onFailure(e -> ctx.fail(e instanceof ReplyException r
            ? EventBusFailures.toProblem(r, forward.address(), forward.noHandlersStatus())
            : e));
  }

  private void respond(RoutingContext ctx, Message<Object> reply) {
    Object body = reply.body();
    String json;
    if (body instanceof JsonObject o) {
      json = o.encode();
    } else if (body instanceof JsonArray a) {
      json = a.encode();
    } else if (body == null) {
      json = "{}";
    } else {
      ctx.fail(new ProblemException(500, forward.address() + " replied with a "
          + body.getClass().getSimpleName() + " instead of a JSON object"));
      return;
    }
    ctx.response()
        .setStatusCode(forward.successStatus())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(json);
  }
}
