package io.sagaz.fleet.core.config;

import java.time.Duration;

/** Validation helpers for the config records; each failure names the key it checked. */
public final class Check {
  private Check() {}

  public static int port(String key, int value) {
    if (value < 0 || value > 65535) {
      throw new ConfigException(key, "port " + value + " is out of range 0-65535");
    }
    return value;
  }

  public static int positive(String key, int value) {
    if (value <= 0) {
      throw new ConfigException(key, "must be greater than 0, was " + value);
    }
    return value;
  }

  public static int atLeast(String key, int value, int min) {
    if (value < min) {
      throw new ConfigException(key, "must be at least " + min + ", was " + value);
    }
    return value;
  }

  public static Duration positive(String key, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new ConfigException(key, "must be a positive duration, was " + value);
    }
    return value;
  }

  public static Duration between(String key, Duration value, Duration min, Duration max) {
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new ConfigException(key, "must be between " + min.toMillis() + "ms and " + max.toMillis() + "ms, was " + value);
    }
    return value;
  }

  public static int between(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, "must not be empty");
    }
    return value;
  }
}
