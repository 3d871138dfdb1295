package io.sagaz.fleet.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.core.saga.SagaDefinitionException;
import io.sagaz.fleet.core.saga.SagaDefinitionParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the saga definitions in a folder ({@code saga.definitionsDir}, {@code conf/sagas} by
 * default): every {@code *.yaml} / {@code *.yml} file holds one definition. Blocking file I/O: call
 * it from a worker. A bad file stops the node with a message naming the file, saga and step.
 */
public final class SagaDefinitionFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private SagaDefinitionFiles() {}

  /** The definitions in {@code dir}, sorted by file name; none when the folder does not exist. */
  public static List<SagaDefinition> load(Path dir) {
    List<SagaDefinition> out = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("saga.definitionsDir " + dir + ": cannot list: " + e.getMessage(), e);
    }
    for (Path f : files) {
      out.add(parse(f));
    }
    return out;
  }

  /** One definition file. */
  @SuppressWarnings("unchecked")
  public static SagaDefinition parse(Path file) {
    Object tree;
    try {
      tree = YAML.readValue(file.toFile(), Object.class);
    } catch (IOException e) {
      throw new IllegalStateException("saga definition " + file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new IllegalStateException("saga definition " + file + ": expected a mapping with name, steps, ...");
    }
    try {
      return SagaDefinitionParser.parse((Map<String, ?>) map);
    } catch (SagaDefinitionException e) {
      throw new IllegalStateException("saga definition " + file + ": " + e.getMessage(), e);
    }
  }
}
