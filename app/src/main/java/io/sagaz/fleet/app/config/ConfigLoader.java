package io.sagaz.fleet.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sagaz.fleet.core.config.ConfigException;
import io.sagaz.fleet.core.config.SagazConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the node's configuration once at start (design.md section 6): the key defaults, then one YAML
 * file, then {@code SAGAZ_*} environment variables, then command-line options, each layer overriding
 * the one before. The result is the validated {@link SagazConfig}; any problem is a
 * {@link ConfigException} naming the key (and where its value came from), thrown before anything starts.
 */
public final class ConfigLoader {
  /** The file read when {@code --config} is not given; its absence is not an error. */
  public static final Path DEFAULT_FILE = Path.of("conf", "sagaz.yaml");
  /** Environment variable that names the config file when {@code --config} is not given. */
  public static final String CONFIG_ENV = "SAGAZ_CONFIG";
  /** Environment variable choosing the log format (conf/logback.xml): text or json. */
  public static final String LOG_FORMAT_ENV = "SAGAZ_LOG_FORMAT";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** SAGAZ_* variables that are not configuration keys but are read elsewhere (CLI, launcher, tests). */
  private static final java.util.Set<String> OTHER_ENV = java.util.Set.of(
      CONFIG_ENV, "SAGAZ_URL", "SAGAZ_MIGRATION_URL", "SAGAZ_LOG_LEVEL", LOG_FORMAT_ENV, "SAGAZ_SKIP_BUILD", "SAGAZ_CDS", "SAGAZ_BIND_ADDRESS");

  private final Map<String, String> env;

  /** @param env the process environment ({@code System.getenv()}), a plain map in tests */
  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * Loads and validates the configuration.
   *
   * @param file      the file given with {@code --config}, or null for {@code SAGAZ_CONFIG} or the default
   * @param overrides dotted key -> value from command-line options, applied last
   */
  public SagazConfig load(Path file, Map<String, String> overrides) {
    String logFormat = env.get(LOG_FORMAT_ENV);
    if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
      // logback takes it as the name of an appender: any other value and the node would log nothing
      throw new ConfigException(LOG_FORMAT_ENV, "must be text or json, was '" + logFormat + "'");
    }
    RawConfig raw = new RawConfig();
    for (ConfigKey key : ConfigKeys.ALL) {
      raw.set(key.path(), key.defaultValue(), "");
    }
    Path chosen = file != null ? file : env.containsKey(CONFIG_ENV) ? Path.of(env.get(CONFIG_ENV)) : null;
    if (chosen != null) {
      readYaml(chosen, raw);
    } else if (Files.exists(DEFAULT_FILE)) {
      readYaml(DEFAULT_FILE, raw);
    }
    for (ConfigKey key : ConfigKeys.ALL) {
      if (key.type() != ConfigKey.Type.MAP) {
        readEnv(key, raw);
      }
    }
    overrides.forEach((path, value) -> {
      ConfigKeys.find(path).orElseThrow(() -> new IllegalArgumentException("no config key " + path));
      raw.set(path, value, "command line");
    });
    return ConfigBinder.bind(raw);
  }

  private void readEnv(ConfigKey key, RawConfig raw) {
    String seedName = ConfigKeys.SEED_ENV_NAMES.get(key.path());
    String own = env.get(key.envName());
    String seed = seedName == null ? null : env.get(seedName);
    if (own != null && seed != null && !own.equals(seed)) {
      // values not echoed: a database URL may carry a password
      throw new ConfigException(key.path(), "set twice with different values, by " + key.envName()
          + " and by " + seedName + " (the seed deployment plan's name for it); unset one of them");
    }
    if (own != null) {
      raw.set(key.path(), own, "env " + key.envName());
    } else if (seed != null) {
      raw.set(key.path(), seed, "env " + seedName);
    }
  }

  /**
   * {@code SAGAZ_*} environment variables that match no key, e.g. a misspelt {@code SAGAZ_DB_ULR}. They
   * are not errors (other tools share the prefix) but worth a warning, since their value is ignored.
   */
  public List<String> unknownEnvironmentVariables() {
    java.util.Set<String> known = ConfigKeys.ALL.stream().map(ConfigKey::envName)
        .collect(Collectors.toCollection(java.util.HashSet::new));
    known.addAll(ConfigKeys.SEED_ENV_NAMES.values());
    return env.keySet().stream()
        .filter(k -> k.startsWith("SAGAZ_") && !k.startsWith("SAGAZ_TEST_"))
        .filter(k -> !known.contains(k) && !OTHER_ENV.contains(k))
        .sorted()
        .toList();
  }

  private static void readYaml(Path file, RawConfig raw) {
    Object root;
    try {
      byte[] bytes = Files.readAllBytes(file);
      JsonNode tree = YAML.readTree(bytes); // unlike readValue, fine with a file of comments only
      root = tree == null || tree.isMissingNode() || tree.isNull() ? null : YAML.convertValue(tree, Object.class);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config", "cannot read file '" + file + "': it does not exist");
    } catch (JsonProcessingException e) {
      throw new ConfigException("config", "file '" + file + "' is not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw new ConfigException("config", "cannot read file '" + file + "': " + e);
    }
    if (root == null) {
      return; // an empty file sets nothing
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException("config", "file '" + file + "' must hold a mapping of sections, e.g. 'db:'");
    }
    flatten("", map, raw, "file " + file);
  }

  private static void flatten(String prefix, Map<?, ?> map, RawConfig raw, String source) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String path = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
      Object value = e.getValue();
      var key = ConfigKeys.find(path);
      if (key.isPresent()) {
        raw.set(path, scalar(path, key.get(), value, raw), source);
      } else if (ConfigKeys.isSection(path)) {
        if (value instanceof Map<?, ?> section) {
          flatten(path, section, raw, source);
        } else if (value != null) {
          throw new ConfigException(path, "is a section and needs nested keys: " + String.join(", ", ConfigKeys.keysUnder(path)));
        }
      } else {
        throw new ConfigException(path, "unknown key (in " + source + ")" + hint(prefix));
      }
    }
  }

  private static String scalar(String path, ConfigKey key, Object value, RawConfig raw) {
    if (value == null) {
      return null;
    }
    if (key.type() == ConfigKey.Type.MAP) {
      if (!(value instanceof Map<?, ?> m)) {
        throw new ConfigException(path, "expected a mapping of properties");
      }
      Map<String, String> props = new LinkedHashMap<>();
      m.forEach((k, v) -> props.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
      raw.setMap(path, props);
      return null;
    }
    if (value instanceof List<?> list) {
      if (key.type() != ConfigKey.Type.LIST) {
        throw new ConfigException(path, "expected a single value, found a list");
      }
      return list.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    if (value instanceof Map<?, ?>) {
      throw new ConfigException(path, "expected a value, found a mapping");
    }
    return String.valueOf(value);
  }

  private static String hint(String section) {
    if (section.isEmpty()) {
      return "; sections are: " + ConfigKeys.ALL.stream().map(ConfigKey::section).distinct().collect(Collectors.joining(", "));
    }
    return "; keys under " + section + " are: " + String.join(", ", ConfigKeys.keysUnder(section));
  }
}
