package io.sagaz.fleet.app.cli.api;

import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where the CLI commands find a node's admin API, and how they print. */
public final class AdminApiOptions {
  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:SAGAZ_URL:-http://127.0.0.1:8080}",
      description = "Admin API base URL of any node (env SAGAZ_URL, default ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SAGAZ_ADMIN_TOKEN}",
      description = "Bearer token of the admin API (env SAGAZ_ADMIN_TOKEN).")
  String token;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  /** The validated base URL, without a trailing slash; a usage error (exit 2) when it is not http(s). */
  public URI baseUri(CommandLine cmd) {
    URI uri;
    try {
      uri = URI.create(url.trim().replaceAll("/+$", ""));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--url '" + url + "' is not a URL: " + e.getMessage());
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
      throw new CommandLine.ParameterException(cmd, "--url '" + url + "' must be an http:// or https:// URL with a host");
    }
    return uri;
  }

  /** The token given with --token or SAGAZ_ADMIN_TOKEN; null when neither is set. */
  public String token() {
    return token;
  }

  /** --json: print the API's JSON instead of a table. */
  public boolean json() {
    return json;
  }
}
