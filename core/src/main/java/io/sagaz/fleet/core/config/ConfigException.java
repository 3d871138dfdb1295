package io.sagaz.fleet.core.config;

/** A configuration value is missing or wrong. The message always starts with the offending key. */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The dotted configuration key that was wrong, e.g. {@code admin.port}. */
  public String key() {
    return key;
  }
}
