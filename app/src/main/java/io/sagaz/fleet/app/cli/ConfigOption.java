package io.sagaz.fleet.app.cli;

import io.sagaz.fleet.app.config.ConfigLoader;
import io.sagaz.fleet.core.config.SagazConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --config} option every command that reads {@code sagaz.yaml} shares; mix it into a
 * command with {@code @Mixin ConfigOption config;} and call {@link #load}.
 */
public final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML configuration (default: $SAGAZ_CONFIG, else conf/sagaz.yaml when it exists).")
  Path file;

  /** The validated configuration: YAML, then {@code SAGAZ_*} env, then {@code overrides} (dotted keys). */
  public SagazConfig load(Map<String, String> overrides) {
    ConfigLoader loader = new ConfigLoader(System.getenv());
    SagazConfig config = loader.load(file, overrides);
    loader.unknownEnvironmentVariables().forEach(name ->
        System.err.println("sagaz: warning: " + name + " is not a configuration variable and is ignored"));
    return config;
  }
}
