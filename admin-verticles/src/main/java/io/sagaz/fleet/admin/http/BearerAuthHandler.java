package io.sagaz.fleet.admin.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Requires {@code Authorization: Bearer <admin token>}. It runs before request validation, so a caller
 * without the token learns nothing about the API beyond the 401.
 */
public final class BearerAuthHandler implements Handler<RoutingContext> {
  private static final String PREFIX = "Bearer ";
  private final byte[] expectedDigest;

  public BearerAuthHandler(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the admin token must not be empty");
    }
    this.expectedDigest = sha256(token);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      ctx.fail(new ProblemException(401, "missing Authorization header; send 'Authorization: Bearer <admin.token>'"));
    } else if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      ctx.fail(new ProblemException(401, "the Authorization header must use the Bearer scheme"));
    } else if (!MessageDigest.isEqual(sha256(header.substring(PREFIX.length()).trim()), expectedDigest)) {
      // Comparing fixed-length digests keeps the comparison constant-time and hides the token's length.
      ctx.fail(new ProblemException(401, "the bearer token is not this node's admin token"));
    } else {
      ctx.next();
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
