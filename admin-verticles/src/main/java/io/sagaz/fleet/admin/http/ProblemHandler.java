package io.sagaz.fleet.admin.http;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one router-level failure handler: every error of the admin API leaves through here as an
 * RFC 9457 problem body. Handlers only {@code ctx.fail(...)}.
 */
public final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
  private final int bodyLimitBytes;

  /** @param bodyLimitBytes the request body limit, named when a body exceeds it */
  public ProblemHandler(int bodyLimitBytes) {
    this.bodyLimitBytes = bodyLimitBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      // Too late for a body: the client already has a status. Cut the response so it sees the break.
      ctx.response().reset();
      return;
    }
    Problem problem = toProblem(ctx);
    if (problem.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"sagaz\"");
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .end(problem.toJson().encode());
  }

  private Problem toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    String path = ctx.request().path();
    if (failure instanceof ProblemException p) {
      return Problem.of(p.status(), p.getMessage(), path);
    }
    ValidatorException invalid = validationFailure(failure);
    if (invalid != null) {
      return Problem.of(400, ValidationDetail.of(invalid), path);
    }
    if (failure instanceof ReplyException r) {
      ProblemException p = EventBusFailures.toProblem(r, "the event bus", 503);
      return Problem.of(p.status(), p.getMessage(), path);
    }
    if (failure instanceof DecodeException d) {
      return Problem.of(400, "the body is not valid JSON: " + d.getMessage(), path);
    }
    if (failure instanceof HttpException h) {
      return Problem.of(h.getStatusCode(), h.getPayload() != null ? h.getPayload() : defaultDetail(h.getStatusCode(), ctx), path);
    }
    int status = ctx.statusCode();
    if (failure == null && status >= 400) {
      return Problem.of(status, defaultDetail(status, ctx), path);
    }
    log.error("admin API request {} {} failed", ctx.request().method(), path, failure);
    return Problem.of(500, "internal error; the node's log has the details", path);
  }

  // The OpenAPI router reports a failed validation as a 400 HttpException caused by the validator's exception.
  private static ValidatorException validationFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ValidatorException v) {
        return v;
      }
    }
    return null;
  }

  private String defaultDetail(int status, RoutingContext ctx) {
    return switch (status) {
      case 404 -> "no resource at " + ctx.request().path();
      case 405 -> ctx.request().method() + " is not allowed on " + ctx.request().path();
      case 413 -> "the request body is larger than the limit of " + bodyLimitBytes + " bytes";
      default -> null;
    };
  }
}
