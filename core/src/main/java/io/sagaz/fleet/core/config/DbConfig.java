package io.sagaz.fleet.core.config;

import java.net.URI;
import java.util.Optional;

/**
 * The PostgreSQL the node talks to.
 *
 * @param url          {@code postgresql://user:pass@host:port/db}; empty means "start an embedded PostgreSQL"
 * @param analyticsUrl optional read-only (replica / PgBouncer-RO) URL for heavy admin queries
 * @param poolSize     connections in this node's pool
 * @param embeddedPort port of the embedded PostgreSQL (0 = pick a free one)
 * @param pgbouncer    {@code db.url} goes through a PgBouncer in transaction mode: the pool then sends
 *                     each prepared statement with its execution (no statement outlives a transaction)
 * @param pgbouncerAdminUrl optional PgBouncer admin console ({@code postgresql://user@host:port/pgbouncer})
 *                     whose {@code SHOW POOLS} the admin API and metrics report; several, comma-separated
 *                     (pgbouncer-rw and pgbouncer-ro), each reported under its own {@code pool} label
 */
public record DbConfig(Optional<String> url, Optional<String> analyticsUrl, int poolSize, int embeddedPort,
    boolean pgbouncer, Optional<String> pgbouncerAdminUrl) {
  /** The database of PgBouncer's admin console; any other name is an ordinary pooled database. */
  public static final String PGBOUNCER_CONSOLE_DB = "pgbouncer";

  public DbConfig {
    url = url == null ? Optional.empty() : url.filter(s -> !s.isBlank());
    analyticsUrl = analyticsUrl == null ? Optional.empty() : analyticsUrl.filter(s -> !s.isBlank());
    pgbouncerAdminUrl = pgbouncerAdminUrl == null ? Optional.empty() : pgbouncerAdminUrl.filter(s -> !s.isBlank());
    url.ifPresent(u -> validateUrl("db.url", u));
    analyticsUrl.ifPresent(u -> validateUrl("db.analyticsUrl", u));
    pgbouncerAdminUrl.ifPresent(urls -> consoles(urls).forEach(DbConfig::validateConsoleUrl));
    Check.positive("db.poolSize", poolSize);
    Check.port("db.embeddedPort", embeddedPort);
  }

  /** Without PgBouncer settings: a direct connection and no console. */
  public DbConfig(Optional<String> url, Optional<String> analyticsUrl, int poolSize, int embeddedPort) {
    this(url, analyticsUrl, poolSize, embeddedPort, false, Optional.empty());
  }

  public boolean embedded() {
    return url.isEmpty();
  }

  /** Refuses anything but a {@code postgresql://} URL with a host, naming {@code key} and hiding the password. */
  public static void validateUrl(String key, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      throw new ConfigException(key, "malformed URL '" + redact(url) + "': " + e.getMessage());
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("postgresql") || scheme.equals("postgres"))) {
      throw new ConfigException(key, "expected a postgresql:// URL, was '" + redact(url) + "'");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(key, "URL '" + redact(url) + "' has no host");
    }
    if (uri.getPort() > 65535) {
      throw new ConfigException(key, "URL '" + redact(url) + "' has port out of range");
    }
  }

  /** The admin consoles of {@code db.pgbouncerAdminUrl}, in the order given; empty when unset. */
  public java.util.List<String> pgbouncerConsoles() {
    return pgbouncerAdminUrl.map(DbConfig::consoles).orElse(java.util.List.of());
  }

  private static java.util.List<String> consoles(String urls) {
    java.util.List<String> list = java.util.Arrays.stream(urls.split(",", -1)).map(String::strip).toList();
    if (list.stream().anyMatch(String::isEmpty)) {
      throw new ConfigException("db.pgbouncerAdminUrl", "an empty entry in the comma-separated list of console URLs");
    }
    if (list.stream().distinct().count() < list.size()) {
      throw new ConfigException("db.pgbouncerAdminUrl", "a console URL is given twice; each console is reported once");
    }
    return list;
  }

  private static void validateConsoleUrl(String url) {
    validateUrl("db.pgbouncerAdminUrl", url);
    String path = URI.create(url).getPath();
    if (path == null || !path.equals("/" + PGBOUNCER_CONSOLE_DB)) {
      throw new ConfigException("db.pgbouncerAdminUrl", "URL '" + redact(url) + "' must name PgBouncer's admin database, e.g. "
          + "postgresql://postgres@pgbouncer-rw:6432/" + PGBOUNCER_CONSOLE_DB);
    }
  }

  /** Hides the password of a connection URL so it can go into an error message or a log line. */
  public static String redact(String url) {
    return url == null ? null : url.replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
  }
}
