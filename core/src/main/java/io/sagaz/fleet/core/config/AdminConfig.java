package io.sagaz.fleet.core.config;

import java.util.Optional;

/**
 * The admin HTTP server.
 *
 * @param host  bind address
 * @param port  listen port (0 = pick a free one; the node prints the one it got)
 * @param token bearer token for {@code /api/v1/*}; empty means generate one at start
 */
public record AdminConfig(String host, int port, Optional<String> token) {
  public AdminConfig {
    Check.notBlank("admin.host", host);
    Check.port("admin.port", port);
    token = token == null ? Optional.empty() : token.filter(t -> !t.isBlank());
    token.ifPresent(t -> {
      if (t.length() < 16) {
        throw new ConfigException("admin.token", "must be at least 16 characters");
      }
    });
  }
}
